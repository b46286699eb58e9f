/**
 * The reference web client in a real browser against a real homeserver: sign up, chat between two
 * accounts, guest access, sign out and in again, and a wrong password.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { shot } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

const NUMBER = /^\d{9}$/;

describe("web client", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const alice = { email: `alice-${run}@example.org`, password: "correct horse 1", username: `alice${run}` };
  const bob = { email: `bob-${run}@example.org`, password: "battery staple 2", username: `bob${run}` };
  let pageA: Page;
  let pageB: Page;
  let aliceNumber = "";
  let bobNumber = "";

  async function signIn(page: Page, id: string, password: string): Promise<void> {
    await page.getByTestId("signin-id").fill(id);
    await page.getByTestId("signin-password").fill(password);
    await page.getByTestId("signin-submit").click();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByTestId("sign-out").click();
    await page.getByTestId("auth-screen").waitFor();
  }

  function message(page: Page, text: string) {
    return page.getByTestId("message").filter({ hasText: text });
  }

  it("signs two people up and shows each one's number", async function () {
    pageA = await web.pages.open();
    pageB = await web.pages.open();
    aliceNumber = await web.pages.signUp(pageA, alice);
    bobNumber = await web.pages.signUp(pageB, bob);
    expect(aliceNumber).to.match(NUMBER);
    expect(bobNumber).to.match(NUMBER);
    expect(aliceNumber).to.not.equal(bobNumber);
    expect(await pageB.getByTestId("account-user-id").textContent()).to.match(new RegExp(`^@${bobNumber}:`));
  });

  it("starts a chat by number, and the invitee accepts it", async function () {
    await pageA.getByTestId("new-chat-input").fill(bobNumber);
    await pageA.getByTestId("new-chat-submit").click();
    await pageA.getByTestId("composer-input").waitFor();

    const invite = pageB.getByTestId("room-item").filter({ has: pageB.getByTestId("invite-accept") });
    await invite.waitFor();
    await invite.getByTestId("invite-accept").click();
    await pageB.getByTestId("composer-input").waitFor();
    expect(await pageB.getByTestId("invite-accept").count()).to.equal(0);
  });

  it("delivers messages both ways", async function () {
    await pageA.getByTestId("composer-input").fill("Hello Bob <b>not bold</b>");
    await pageA.getByTestId("composer-send").click();
    await message(pageB, "Hello Bob <b>not bold</b>").waitFor();
    // Text is shown as typed, never interpreted as markup.
    expect(await pageB.locator(".timeline b").count()).to.equal(0);

    await pageB.getByTestId("composer-input").fill("Hi Alice");
    await pageB.getByTestId("composer-send").click();
    await message(pageA, "Hi Alice").waitFor();

    const received = message(pageA, "Hi Alice");
    expect((await received.getByTestId("message-sender").textContent())?.trim()).to.not.equal("");
    expect(await received.getByTestId("message-time").textContent()).to.match(/\d/);
  });

  it("edits the display name and stays signed in across a reload", async function () {
    await pageA.getByTestId("display-name-edit").click();
    await pageA.getByTestId("display-name-input").fill("Alice Liddell");
    await pageA.getByTestId("display-name-save").click();
    await pageA.getByTestId("display-name").filter({ hasText: "Alice Liddell" }).waitFor();

    await pageA.reload();
    await pageA.getByTestId("home-screen").waitFor();
    expect(await pageA.getByTestId("account-number").textContent()).to.equal(aliceNumber);
    await pageA.getByTestId("display-name").filter({ hasText: "Alice Liddell" }).waitFor();
    await pageA.getByTestId("room-item").first().click();
    await message(pageA, "Hi Alice").waitFor();
  });

  it("lets a guest in with a guest id", async function () {
    const page = await web.pages.open();
    await page.getByTestId("guest-button").click();
    await page.getByTestId("home-screen").waitFor();
    expect(await page.getByTestId("account-number").textContent()).to.match(/^guest-/);
    expect(await page.getByTestId("account-user-id").textContent()).to.match(/^@guest-[^:]+:/);
    await page.context().close();
  });

  it("signs out and signs in again by e-mail", async function () {
    await signOut(pageA);
    await signIn(pageA, alice.email, alice.password);
    await pageA.getByTestId("home-screen").waitFor();
    expect(await pageA.getByTestId("account-number").textContent()).to.equal(aliceNumber);
    await pageA.getByTestId("room-item").first().click();
    await message(pageA, "Hi Alice").waitFor();
  });

  it("shows the server's error for a wrong password, then signs in by number", async function () {
    await signOut(pageB);
    await signIn(pageB, bob.email, "not the password");
    const error = pageB.getByTestId("error");
    await error.waitFor();
    expect(await error.textContent()).to.match(/^M_FORBIDDEN: /);
    expect(await pageB.getByTestId("auth-screen").isVisible()).to.equal(true);

    await signIn(pageB, bobNumber, bob.password);
    await pageB.getByTestId("home-screen").waitFor();
    expect(await pageB.getByTestId("account-number").textContent()).to.equal(bobNumber);
    await pageB.getByTestId("error").waitFor({ state: "hidden" });

    await shot(pageA, "web-client");
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});

describe("web client with the guest captcha on", function () {
  this.timeout(60_000);

  const web = webSuite({ env: { CALLSIGN_GUEST_CAPTCHA: "true" } });

  it("solves the proof-of-work stage and lets the guest in", async function () {
    const page = await (await web.browser.newContext()).newPage();
    const registerStatuses: number[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/register")) registerStatuses.push(response.status());
    });
    await page.goto(web.network.baseUrl);
    await page.getByTestId("guest-button").click();
    await page.getByTestId("home-screen").waitFor();
    expect(await page.getByTestId("account-number").textContent()).to.match(/^guest-/);
    // The first call is answered with the challenge, the second carries the solution.
    expect(registerStatuses).to.deep.equal([401, 200]);
  });
});
