/**
 * Browser pages on the reference web client for end-to-end tests: builds the client, opens
 * pages in fresh browser contexts (each its own localStorage, so its own session), signs up,
 * and records what went wrong (uncaught page errors, failed API calls) to print on failure.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = join(ROOT, ".test-artifacts");

/** Bundles clients/web into clients/web/dist, which the homeserver serves at `/`. */
export async function buildWebClient(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, "scripts", "build-web.mjs")]);
}

export interface SignUpAccount {
  email: string;
  password: string;
  username?: string;
}

export class WebPages {
  /** Uncaught exceptions in any page; the client must not throw. */
  readonly pageErrors: string[] = [];
  /** API calls answered with an error, as `METHOD url → status body`. */
  readonly apiFailures: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
  ) {}

  /** Opens `path` in a new browser context (signed out). */
  async open(path = "/"): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => this.pageErrors.push(error.message));
    page.on("response", (response) => {
      const url = response.url();
      if (response.status() < 400 || !/\/_(matrix|callsign)\//.test(url)) return;
      void response.text().then(
        (body) =>
          this.apiFailures.push(`${response.request().method()} ${url} → ${response.status()} ${body}`),
        () => this.apiFailures.push(`${response.request().method()} ${url} → ${response.status()}`),
      );
    });
    await page.goto(this.baseUrl + path);
    return page;
  }

  /** Signs up on the sign-in screen and returns the new account's number. */
  async signUp(page: Page, account: SignUpAccount): Promise<string> {
    await page.getByTestId("tab-signup").click();
    await page.getByTestId("signup-email").fill(account.email);
    await page.getByTestId("signup-password").fill(account.password);
    if (account.username) await page.getByTestId("signup-username").fill(account.username);
    await page.getByTestId("signup-submit").click();
    await page.getByTestId("home-screen").waitFor();
    return (await page.getByTestId("account-number").textContent()) ?? "";
  }
}

/** Saves what the page shows as `.test-artifacts/<name>.png`, to look at after a run. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until an element with the test id shows the text (a substring or a pattern). */
export async function waitForText(page: Page, testId: string, text: string | RegExp): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).first().waitFor();
}
