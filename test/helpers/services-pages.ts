/** The Services pane of the reference web client (and its transfers), for browser tests. */
import type { Locator, Page, Route } from "playwright-core";

/** Opens the Services pane and waits until the operated services and the customers are read. */
export async function openServices(page: Page): Promise<void> {
  await page.getByTestId("nav-services").click();
  await page.locator('[data-testid="operated-services"][data-loaded]').waitFor();
  await page.locator('[data-testid="customers"][data-loaded]').waitFor();
}

/** A service under "My companies" (the team's card), by its display name. */
export const serviceCard = (page: Page, displayName: string): Locator =>
  page.getByTestId("service-card").filter({
    has: page.getByTestId("service-display-name").getByText(displayName, { exact: true }),
  });

/** A service under "I operate", by its display name. */
export const operatedService = (page: Page, displayName: string): Locator =>
  page.getByTestId("operated-service").filter({
    has: page.getByTestId("operated-name").getByText(displayName, { exact: true }),
  });

/** Opens a service card's operators, hours and addresses (a new service shows them already). */
export async function manage(card: Locator): Promise<void> {
  await openDetails(card, "service-details");
}

/**
 * Opens one of the `<details>` under `within` by its test id (`calls-details`, `billing-details`,
 * `offer-details` on a service card; `ledger-section` on a customer), unless it is open already.
 */
export async function openDetails(within: Locator, testId: string): Promise<Locator> {
  const details = within.getByTestId(testId);
  if ((await details.getAttribute("open")) === null) await details.locator("summary").first().click();
  return details;
}

/** Creates a customer (a company) on the Services pane and waits until it is chosen and read. */
export async function createCompany(page: Page, name: string): Promise<void> {
  await openServices(page);
  await page.getByTestId("customer-name-input").fill(name);
  await page.getByTestId("customer-create").click();
  await page.getByTestId("customer-name").filter({ hasText: name }).waitFor();
  await page.locator('[data-testid="services"][data-loaded]').waitFor();
}

/** Creates a service of the selected customer and waits for its card. */
export async function createService(page: Page, serviceId: string, displayName: string): Promise<Locator> {
  await page.getByTestId("service-id-input").fill(serviceId);
  await page.getByTestId("service-name-input").fill(displayName);
  await page.getByTestId("service-create").click();
  const card = serviceCard(page, displayName);
  await card.waitFor();
  return card;
}

/** Adds an operator by e-mail on a service card and waits for their row. */
export async function addOperator(card: Locator, email: string): Promise<Locator> {
  await card.getByTestId("operator-email").fill(email);
  await card.getByTestId("operator-add").click();
  const row = card.locator(`[data-testid="operator"][data-email="${email}"]`);
  await row.waitFor();
  return row;
}

async function sessionOf(page: Page): Promise<{ accessToken: string; userId: string }> {
  const raw = await page.evaluate(() => localStorage.getItem("callsign.session"));
  const session = JSON.parse(raw ?? "{}") as { accessToken?: string; userId?: string };
  if (!session.accessToken || !session.userId) throw new Error("the page is not signed in");
  return { accessToken: session.accessToken, userId: session.userId };
}

/** The access token of the page's signed-in session, for checking what the server stored. */
export const accessTokenOf = async (page: Page): Promise<string> => (await sessionOf(page)).accessToken;

export const userIdOf = async (page: Page): Promise<string> => (await sessionOf(page)).userId;

/** Switches the signed-in operator online for `service` on the Services pane; answers its entry. */
export async function goOnline(page: Page, service: string): Promise<Locator> {
  await openServices(page);
  const item = operatedService(page, service);
  await item.getByTestId("operated-online").click();
  await item.getByTestId("operated-state").filter({ hasText: "Online" }).waitFor();
  return item;
}

/**
 * Keeps the page's queue as it is on screen: its next reads of `GET /queue` wait until the
 * returned function releases them. What the server did meanwhile then shows at once.
 */
export async function freezeQueue(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let frozen = true;
  const pattern = "**/_callsign/client/v1/queue";
  await page.route(pattern, (route) => void (frozen ? held.push(route) : route.continue()));
  return async () => {
    frozen = false;
    for (const route of held) await route.continue();
    await page.unroute(pattern);
  };
}
