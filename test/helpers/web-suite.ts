/**
 * The scaffolding of a browser suite, registered as hooks in the calling `describe`: before its
 * own hooks and tests, the web client is built, a TestNetwork started, Chromium launched and the
 * artifacts folder made; after them, the API calls that failed are printed when a test failed
 * (always, with SHOW_API_FAILURES set), and the browser and the network are closed.
 */
import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.js";
import { TestNetwork, type TestNetworkOptions } from "./test-network.js";
import { ARTIFACTS, buildWebClient, WebPages } from "./web-pages.js";

/** What a browser suite runs against; filled in by its first `before` hook. */
export interface WebSuite {
  network: TestNetwork;
  browser: Browser;
  pages: WebPages;
}

/**
 * Registers the hooks of a browser suite; call it at the top of the `describe`, before the
 * suite's own `before` hooks, which then find the network, browser and pages ready.
 *
 * @param options for the TestNetwork (default: one homeserver with the default settings).
 * @example
 * describe("web client names", function () {
 *   const web = webSuite({ env: { CALLSIGN_NAME_TERM_S: "3" } });
 *   it("opens", async () => {
 *     const page = await web.pages.open();
 *   });
 * });
 */
export function webSuite(options: TestNetworkOptions = {}): WebSuite {
  // Filled in by the `before` hook below, before anything of the suite's own can read it.
  const suite = {} as WebSuite;
  let failed = false;

  before(async function () {
    await buildWebClient();
    suite.network = await TestNetwork.start(options);
    suite.browser = await launchBrowser();
    suite.pages = new WebPages(suite.browser, suite.network.baseUrl);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") failed = true;
  });

  after(async function () {
    const { pages } = suite;
    if (process.env.SHOW_API_FAILURES || (failed && pages?.apiFailures.length))
      console.log(`API calls that failed:\n  ${pages.apiFailures.join("\n  ")}`);
    await suite.browser?.close();
    await suite.network?.close();
  });

  return suite;
}
