/**
 * The reference web client across providers: a signed-out visitor opens provider A's call link
 * for a subscriber hosted on provider B (each provider its own process, one Knot DNS), calls as
 * A's guest, waits in B's queue and reads B's text reply — all in A's page, from A's /sync.
 */
import { expect } from "chai";
import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import type { CallView } from "../protocol/callsign/calls.js";
import { launchBrowser } from "./helpers/browser.js";
import { ext, subscriber } from "./helpers/calls.js";
import { TestFederation } from "./helpers/federation-network.js";
import { until } from "./helpers/wait.js";
import { ARTIFACTS, buildWebClient, shot, waitForText, WebPages } from "./helpers/web-pages.js";

const [A, B] = ["a.example.test", "b.example.test"];

describe("web client: calling a subscriber of another provider", function () {
  this.timeout(120_000);
  let fed: TestFederation;
  let browser: Browser;

  before(async () => {
    await buildWebClient();
    fed = await TestFederation.start([A, B]);
    browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await fed?.close();
  });

  it("a guest of A calls B's subscriber from A's call link and reads B's reply", async () => {
    const bella = await subscriber(fed.get(B).url, { online: true, username: "bellaweb" });
    const pages = new WebPages(browser, fed.get(A).url);
    const page = await pages.open(`/call/${encodeURIComponent(`bellaweb@${B}`)}`);
    await page.locator('[data-testid="call-form"][data-loaded]').waitFor();
    await page.getByTestId("call-topic-input").fill("Is the flat still free?");
    await page.getByTestId("call-button").click();
    await page.getByTestId("call-screen").waitFor();
    await waitForText(page, "call-position", "You are number 1 in the queue");
    await shot(page, "federation-web-waiting");

    // B's subscriber sees the call in their queue, from A's guest, and replies.
    const call = await until("the call in B's queue", async () => {
      const queue = await ext<{ calls: CallView[] }>(fed.get(B).url, "GET", "/queue", bella.access_token);
      return queue.body.calls.find((c) => c.topic === "Is the flat still free?");
    });
    expect(call.caller).to.include({ is_guest: true, provider: A });
    await ext(fed.get(B).url, "POST", `/calls/${call.call_id}/reply`, bella.access_token, {
      text: "Yes, come on Monday",
    });
    await page.locator('[data-testid="call-screen"][data-state="replied"]').waitFor();
    expect(await page.getByTestId("call-reply").textContent()).to.equal("Yes, come on Monday");
    await shot(page, "federation-web-replied");
    expect(pages.apiFailures).to.deep.equal([]);
  });
});
