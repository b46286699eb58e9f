/**
 * Calls in the reference web client, two real browsers against a real homeserver: a signed-out
 * visitor calls a subscriber's link as a guest and gets a text reply; calls are taken into the
 * call room, chatted in and hung up; inbox options refuse guests; a tag's link presets the topic;
 * an offline subscriber gets an SMS in the inbox and calls back.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { CallsignApi } from "../clients/sdk/src/index.js";
import { waitUntilRejected } from "./helpers/wait.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client calls", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const bob = { email: `bob-${run}@example.org`, password: "battery staple 2", username: `bob${run}` };
  const alice = { email: `alice-${run}@example.org`, password: "correct horse 1" };
  /** The callee, signed in all along. */
  let callee: Page;
  let bobNumber = "";

  /** A signed-out visitor opens the call link, states a topic (or none) and calls. */
  async function callFromLink(path: string, topic: string | null): Promise<Page> {
    const page = await web.pages.open(path);
    await page.locator('[data-testid="call-form"][data-loaded]').waitFor();
    if (topic !== null) await page.getByTestId("call-topic-input").fill(topic);
    await page.getByTestId("call-button").click();
    await page.getByTestId("call-screen").waitFor();
    return page;
  }

  const queueEntry = (topic: string) => callee.getByTestId("queue-entry").filter({ hasText: topic });
  const callRoom = (page: Page) => page.getByTestId("call-room");
  const state = (page: Page, value: string) =>
    page.locator(`[data-testid="call-screen"][data-state="${value}"]`).waitFor();

  async function openSettings(): Promise<void> {
    await callee.getByTestId("nav-settings").click();
    await callee.locator('[data-testid="inbox-options"][data-loaded]').waitFor();
  }

  async function setOption(testId: string, on: boolean): Promise<void> {
    const box = callee.getByTestId(testId);
    if ((await box.isChecked()) === on) return;
    const saved = callee.waitForResponse(
      (r) => r.url().endsWith("/inbox/options") && r.request().method() === "PUT",
    );
    await box.click();
    expect((await saved).status()).to.equal(200);
  }

  it("a guest calls a link with a topic, waits first in the queue and gets a text reply", async function () {
    callee = await web.pages.open();
    bobNumber = await web.pages.signUp(callee, bob);
    await callee.getByTestId("queue-empty").waitFor();

    const caller = await callFromLink(`/call/${bobNumber}`, "Question about invoice 42");
    await waitForText(caller, "call-position", "You are number 1 in the queue");
    expect(await caller.getByTestId("account-number").textContent()).to.match(/^guest-/);
    await shot(caller, "web-calls-waiting");

    const entry = queueEntry("Question about invoice 42");
    await entry.waitFor();
    expect(await entry.getByTestId("queue-caller").textContent()).to.equal("Guest");
    expect(await entry.getByTestId("queue-position").textContent()).to.equal("1");
    await callee.getByTestId("queue-badge").filter({ hasText: "1" }).waitFor();
    await shot(callee, "web-calls-queue");

    await entry.getByTestId("queue-reply").click();
    await entry.getByTestId("queue-reply-text").fill("Paid yesterday <b>thanks</b>");
    await entry.getByTestId("queue-reply-send").click();
    await callee.getByTestId("queue-empty").waitFor();

    await state(caller, "replied");
    expect(await caller.getByTestId("call-reply").textContent()).to.equal("Paid yesterday <b>thanks</b>");
    expect(await caller.locator(".call-reply b").count()).to.equal(0);
    await caller.context().close();
  });

  it("queues two guests, takes the first into the call room, chats both ways and hangs up", async function () {
    const first = await callFromLink(`/call/${bobNumber}`, "Let's talk");
    await waitForText(first, "call-position", "number 1 in the queue");
    // No topic: the server asks this guest for a captcha, which the page solves.
    const callStatuses: number[] = [];
    const second = await web.pages.open(`/call/${bobNumber}`);
    second.on("response", (r) => {
      if (r.url().endsWith("/_callsign/client/v1/calls")) callStatuses.push(r.status());
    });
    await second.locator('[data-testid="call-form"][data-loaded]').waitFor();
    await second.getByTestId("call-button").click();
    await waitForText(second, "call-position", "You are number 2 in the queue");
    expect(callStatuses).to.deep.equal([401, 200]);

    await queueEntry("No topic").waitFor();
    expect(await queueEntry("No topic").getByTestId("queue-take").isDisabled()).to.equal(true);
    await queueEntry("Let's talk").getByTestId("queue-take").click();

    await callRoom(callee).getByTestId("composer-input").waitFor();
    await callRoom(first).getByTestId("composer-input").waitFor();
    await state(first, "answered");
    // The second caller moves up live.
    await waitForText(second, "call-position", "You are number 1 in the queue");

    await callRoom(first).getByTestId("composer-input").fill("Hello from the caller");
    await callRoom(first).getByTestId("composer-send").click();
    await callRoom(callee).getByTestId("message-body").filter({ hasText: "Hello from the caller" }).waitFor();
    await callRoom(callee).getByTestId("composer-input").fill("Hello back");
    await callRoom(callee).getByTestId("composer-send").click();
    await callRoom(first).getByTestId("message-body").filter({ hasText: "Hello back" }).waitFor();
    await shot(callee, "web-calls-room");

    await callRoom(callee).getByTestId("call-hangup").click();
    await state(callee, "ended");
    await state(first, "ended");
    await waitForText(first, "call-final", "The call has ended.");
    expect(await callRoom(first).getByTestId("composer-input").isVisible()).to.equal(false);

    await queueEntry("No topic").getByTestId("queue-decline").click();
    await state(second, "declined");
    await waitForText(second, "call-final", "declined the call");
    await callee.getByTestId("call-close").click();
    await callee.getByTestId("dial-form").waitFor();
    await first.context().close();
    await second.context().close();
  });

  it("refuses guests once anonymous calls are off, with the server's message", async function () {
    await openSettings();
    await setOption("opt-anonymous", false);

    // The link page says so before anyone calls.
    const visitor = await web.pages.open(`/call/${bobNumber}`);
    await visitor.locator('[data-testid="call-form"][data-loaded]').waitFor();
    await waitForText(visitor, "call-link-note", "only from callers with an account");
    expect(await visitor.getByTestId("call-button").isDisabled()).to.equal(true);
    await visitor.context().close();

    // A guest who dials anyway gets the server's refusal.
    const guest = await web.pages.open();
    await guest.getByTestId("guest-button").click();
    await guest.getByTestId("dial-handle").fill(bobNumber);
    await guest.getByTestId("dial-topic").fill("Anyone home?");
    await guest.getByTestId("dial-submit").click();
    await waitForText(guest, "error", /^IO_CALLSIGN_ANONYMOUS_REFUSED: /);
    await guest.context().close();

    await setOption("opt-anonymous", true);
  });

  it("creates a tag whose link presets the topic, and deletes it", async function () {
    await openSettings();
    await callee.getByTestId("tag-name").fill("support");
    await callee.getByTestId("tag-topic").fill("Support request");
    await callee.getByTestId("tag-create").click();
    const tag = callee.getByTestId("tag-item").filter({ hasText: "support" });
    await tag.waitFor();
    await shot(callee, "web-calls-settings");
    const href = (await tag.getByTestId("tag-link").getAttribute("href")) ?? "";
    expect(new URL(href).pathname).to.equal(`/call/${bobNumber}/support`);

    const caller = await web.pages.open(new URL(href).pathname);
    await caller.locator('[data-testid="call-form"][data-loaded]').waitFor();
    expect(await caller.getByTestId("call-topic-input").inputValue()).to.equal("Support request");
    await shot(caller, "web-calls-link");
    await caller.getByTestId("call-button").click();
    await waitForText(caller, "call-position", "number 1 in the queue");
    // A reload keeps the guest's session and finds the waiting call again.
    await caller.reload();
    await waitForText(caller, "call-position", "number 1 in the queue");

    await callee.getByTestId("nav-calls").click();
    await queueEntry("Support request").waitFor();
    await caller.getByTestId("call-cancel").click();
    await state(caller, "cancelled");
    await callee.getByTestId("queue-empty").waitFor();
    await caller.context().close();

    await openSettings();
    await tag.getByTestId("tag-delete").click();
    await callee.getByTestId("tags-empty").waitFor();
  });

  it("shows the server's error for an unknown handle and for an expired tag", async function () {
    const unknown = await web.pages.open("/call/999999999");
    await waitForText(unknown, "call-link-error", /^IO_CALLSIGN_UNKNOWN_HANDLE: /);
    expect(await unknown.getByTestId("call-form").isVisible()).to.equal(false);
    await unknown.context().close();

    // A tag that lapses a second from now, made through the SDK with the callee's own session.
    const session = JSON.parse(
      (await callee.evaluate(() => localStorage.getItem("callsign.session"))) ?? "{}",
    );
    const api = new CallsignApi(web.network.baseUrl, session.accessToken);
    await api.createTag({ name: "flash", expires_at: Date.now() + 1000, anonymous: true, one_click: true });
    await waitUntilRejected(() => api.handle(bobNumber, "flash"), "IO_CALLSIGN_TAG_EXPIRED");

    const expired = await web.pages.open(`/call/${bobNumber}/flash`);
    await waitForText(expired, "call-link-error", /^IO_CALLSIGN_TAG_EXPIRED: /);
    await expired.context().close();
    await openSettings();
    await waitForText(callee, "tag-expiry", "Expired");
    await api.deleteTag("flash");
  });

  it("takes an SMS for an offline subscriber, who replies and calls back from the inbox", async function () {
    const caller = await web.pages.open();
    await web.pages.signUp(caller, alice);
    await callee.getByTestId("sign-out").click();
    await callee.getByTestId("auth-screen").waitFor();

    const dial = async (topic: string) => {
      await caller.getByTestId("dial-handle").fill(bob.username);
      await caller.getByTestId("dial-topic").fill(topic);
      await caller.getByTestId("dial-submit").click();
      await state(caller, "offline");
      await waitForText(caller, "call-offline", "is not online");
    };
    await dial("Quick question");
    await caller.getByTestId("sms-skip").click();
    await state(caller, "missed");
    await caller.getByTestId("call-close").click();

    await dial("Lunch on Friday");
    expect(await caller.getByTestId("call-topic").textContent()).to.contain("Lunch on Friday");
    await caller.getByTestId("sms-text").fill("Call me when you are back");
    await caller.getByTestId("sms-send").click();
    await state(caller, "left_sms");

    await callee.getByTestId("signin-id").fill(bob.email);
    await callee.getByTestId("signin-password").fill(bob.password);
    await callee.getByTestId("signin-submit").click();
    await callee.getByTestId("inbox-badge").filter({ hasText: "2" }).waitFor();
    await callee.getByTestId("nav-inbox").click();
    const missed = callee.getByTestId("inbox-missed").filter({ hasText: "Quick question" });
    await missed.getByTestId("inbox-call-back").waitFor();
    const sms = callee.getByTestId("inbox-sms").filter({ hasText: "Call me when you are back" });
    await sms.waitFor();
    expect(await sms.getByTestId("inbox-topic").textContent()).to.equal("Lunch on Friday");
    await callee.getByTestId("inbox-badge").waitFor({ state: "hidden" });
    await shot(callee, "web-calls-inbox");

    await sms.getByTestId("inbox-reply").click();
    await sms.getByTestId("inbox-reply-text").fill("Friday works");
    await sms.getByTestId("inbox-reply-send").click();
    await sms.getByTestId("inbox-reply-sent").waitFor();
    await caller.getByTestId("inbox-badge").filter({ hasText: "1" }).waitFor();

    await sms.getByTestId("inbox-call-back").click();
    await waitForText(callee, "call-position", "You are number 1 in the queue");
    const back = caller.getByTestId("queue-entry").filter({ hasText: bob.username });
    await back.waitFor();
    await back.getByTestId("queue-reply").click();
    await back.getByTestId("queue-reply-text").fill("See you Friday");
    await back.getByTestId("queue-reply-send").click();
    await waitForText(callee, "call-reply", "See you Friday");
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
