/** The Names screen of the reference web client, for browser tests. */
import type { Locator, Page } from "playwright-core";

/** The sandbox payment provider declines this card and accepts any other. */
export const DECLINED_CARD = "4000 0000 0000 0002";
export const GOOD_CARD = "4242 4242 4242 4242";

/** Types into the name search and waits for the quote of the normalised `name`. */
export async function quote(page: Page, typed: string, name: string): Promise<Locator> {
  await page.getByTestId("name-search").fill(typed);
  const panel = page.locator(`[data-testid="name-quote"][data-state="quoted"][data-name="${name}"]`);
  await panel.waitFor();
  return panel;
}

/** One of "My names", in `state` when given. */
export const nameItem = (page: Page, name: string, state?: string): Locator =>
  page.locator(`[data-testid="name-item"][data-name="${name}"]${state ? `[data-state="${state}"]` : ""}`);

/** One of "My domains" (by its A-label form), in `state` when given. */
export const domainItem = (page: Page, domain: string, state?: string): Locator =>
  page.locator(
    `[data-testid="domain-item"][data-domain="${domain}"]${state ? `[data-state="${state}"]` : ""}`,
  );

/** Opens the Names screen and waits until the names and domains are read. */
export async function openNames(page: Page): Promise<void> {
  await page.getByTestId("nav-names").click();
  await page.locator('[data-testid="my-names"][data-loaded]').waitFor();
  await page.locator('[data-testid="domains"][data-loaded]').waitFor();
}
