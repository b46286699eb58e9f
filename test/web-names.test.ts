/**
 * Names in the reference web client, a real browser against a real homeserver whose brand and
 * domain look-ups go to a real DNS server (Knot): a free name is reserved and active at once; a
 * short name is priced, held, declined with the sandbox's bad card and paid with a good one; a
 * brand name shows its fee and why it is a brand; a domain shows its TXT record and verifies once
 * the record is published; its verified owner claims the brand name from another holder; a name
 * whose term ended shows the grace warning and is renewed.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { NamesApi } from "../clients/sdk/src/index.js";
import { subscriber } from "./helpers/calls.js";
import { DECLINED_CARD, domainItem, GOOD_CARD, nameItem, openNames, quote } from "./helpers/names-pages.js";
import { until } from "./helpers/wait.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client names", function () {
  this.timeout(120_000);

  const web = webSuite();
  let page: Page;

  const run = Date.now().toString(36);
  const freeName = `free${run}`;
  const shortName = "zorb";
  const brand = "initech";
  const shop = `shop${run}.example.test`;

  before(async function () {
    page = await web.pages.open();
    await web.pages.signUp(page, { email: `names-${run}@example.org`, password: "correct horse 1" });
    await openNames(page);
    await page.getByTestId("my-names-empty").waitFor();
  });

  it("quotes a free name as typed, normalised, and reserves it: active at once", async function () {
    const panel = await quote(page, `  Free${run.toUpperCase()} `, freeName);
    expect(await panel.getAttribute("data-available")).to.equal("true");
    expect(await panel.getByTestId("quote-availability").textContent()).to.equal("Available");
    expect(await panel.getByTestId("quote-typed").textContent()).to.equal(
      `as typed: Free${run.toUpperCase()}`,
    );
    expect(await panel.getByTestId("quote-price").textContent()).to.equal("Free");
    expect(await panel.getByTestId("quote-total").textContent()).to.equal("Free");
    expect(await panel.getByTestId("quote-brand-reasons").count()).to.equal(0);
    expect(await page.getByTestId("name-kind").inputValue()).to.equal("user");

    await page.getByTestId("name-reserve").click();
    const item = nameItem(page, freeName, "active");
    await item.waitFor();
    expect(await item.getByTestId("name-state").textContent()).to.equal("Active");
    expect(await item.getByTestId("name-status").textContent()).to.match(/^Paid until /);
    // The quote now says it is the user's; the user name is taken, so the next is a service id.
    await waitForText(page, "quote-availability", "You hold this name");
    expect(await page.getByTestId("name-reserve").count()).to.equal(0);
    expect(await page.getByTestId("name-kind").inputValue()).to.equal("service");
  });

  it("shows an invalid name's errcode and reason while typing", async function () {
    await page.getByTestId("name-search").fill("9lives");
    await page.locator('[data-testid="name-quote"][data-state="error"]').waitFor();
    expect(await page.getByTestId("quote-error").textContent()).to.match(
      /^IO_CALLSIGN_INVALID_NAME: .* \(name_start\)$/,
    );
    expect(await page.getByTestId("name-reserve").count()).to.equal(0);
  });

  it("prices a 4-letter name, holds it, shows the declined card, then pays with a good one", async function () {
    const panel = await quote(page, shortName, shortName);
    expect(await panel.getByTestId("quote-price").textContent()).to.equal("€50.00");
    expect(await panel.getByTestId("quote-total").textContent()).to.equal("€50.00 for the first year");
    expect(await page.getByTestId("name-reserve").textContent()).to.equal(`Reserve ${shortName} for €50.00`);

    await page.getByTestId("name-reserve").click();
    const held = nameItem(page, shortName, "held");
    await held.waitFor();
    expect(await held.getByTestId("name-kind-label").textContent()).to.equal("service id");
    expect(await held.getByTestId("name-status").textContent()).to.match(
      /^Held for you until .*: pay €50\.00/,
    );
    // The payment form opens by itself for the name just reserved.
    const form = held.getByTestId("payment-form");
    await form.waitFor();
    expect(await form.getByTestId("card-hint").textContent()).to.contain("4000 0000 0000 0002");
    expect(await form.getByTestId("payment-submit").textContent()).to.equal("Pay €50.00");

    await form.getByTestId("card-number").fill(DECLINED_CARD);
    await form.getByTestId("payment-submit").click();
    await waitForText(page, "payment-error", "IO_CALLSIGN_PAYMENT_DECLINED: The card was declined");
    expect(await nameItem(page, shortName).getAttribute("data-state")).to.equal("held");
    await shot(page, "web-names-declined");

    await form.getByTestId("card-number").fill(GOOD_CARD);
    await form.getByTestId("payment-submit").click();
    const active = nameItem(page, shortName, "active");
    await active.waitFor();
    expect(await active.getByTestId("payment-form").count()).to.equal(0);
    expect(await active.getByTestId("name-pay").textContent()).to.equal("Renew (€50.00)");
    await active.locator("summary").click();
    expect(await active.getByTestId("name-events").textContent()).to.match(/held → active: paid 5000 EUR/);
  });

  it("shows a brand name's fee and the registered domain that makes it one", async function () {
    await web.network.dns.addZone(`${brand}.com.`);
    const panel = await quote(page, "Initech", brand);
    expect(await panel.getByTestId("quote-price").textContent()).to.equal("Free");
    expect(await panel.getByTestId("quote-brand-fee").textContent()).to.equal("€500.00");
    expect(await panel.getByTestId("quote-total").textContent()).to.equal("€500.00 for the first year");
    expect(await panel.getByTestId("quote-brand-reason").allTextContents()).to.deep.equal([
      `${brand}.com is registered`,
    ]);
  });

  it("adds a domain, shows the exact TXT record, and verifies it once the record is published", async function () {
    await page.getByTestId("domain-input").fill(shop);
    await page.getByTestId("domain-add").click();
    const pending = domainItem(page, shop, "pending");
    await pending.waitFor();
    expect(await pending.getByTestId("domain-state").textContent()).to.equal("Pending");
    const recordName = (await pending.getByTestId("record-name").textContent()) ?? "";
    const recordValue = (await pending.getByTestId("record-value").textContent()) ?? "";
    expect(recordName).to.equal(`_verify._callsign.${shop}`);
    expect(recordValue).to.match(/^callsign-verify=[A-Za-z0-9_-]{43}$/);
    expect(await pending.getByTestId("record-type").textContent()).to.equal("TXT");

    // Checking before the record is there leaves it pending.
    const checked = page.waitForResponse((r) => r.url().endsWith("/check") && r.status() === 200);
    await pending.getByTestId("domain-check").click();
    await checked;
    await waitForText(page, "domain-status", "not been seen yet (last checked");
    expect(await domainItem(page, shop).getAttribute("data-state")).to.equal("pending");

    await web.network.dns.set(`${recordName}.`, "TXT", [recordValue]);
    await pending.getByTestId("domain-check").click();
    const verified = domainItem(page, shop, "verified");
    await verified.waitFor();
    expect(await verified.getByTestId("domain-state").textContent()).to.equal("Verified");
    // Three labels: no brand name goes with it.
    expect(await verified.getByTestId("domain-brand").isHidden()).to.equal(true);

    await quote(page, brand, brand);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await shot(page, "web-names");
  });

  it("lets the verified owner of <name>.com claim the brand name from its holder", async function () {
    // Someone else holds the brand name, paid for a year.
    const holder = await subscriber(web.network.baseUrl);
    const holderApi = new NamesApi(web.network.baseUrl, holder.access_token);
    await holderApi.reserve(brand, "service");
    await holderApi.pay(brand, GOOD_CARD);

    const domain = `${brand}.com`;
    await page.getByTestId("domain-input").fill(domain);
    await page.getByTestId("domain-add").click();
    const pending = domainItem(page, domain, "pending");
    await pending.waitFor();
    const value = (await pending.getByTestId("record-value").textContent()) ?? "";
    await web.network.dns.set(`_verify._callsign.${domain}.`, "TXT", [value]);
    await pending.getByTestId("domain-check").click();
    const verified = domainItem(page, domain, "verified");
    await verified.waitFor();

    // The search offers the claim too, now that the user owns the domain.
    const panel = await quote(page, brand, brand);
    expect(await panel.getByTestId("quote-availability").textContent()).to.equal(
      "Taken: someone holds this name",
    );
    await panel.getByTestId("quote-claim").waitFor();

    const claim = verified.getByTestId("domain-claim");
    await claim.waitFor();
    expect(await claim.textContent()).to.equal(`Claim ${brand}`);
    await claim.click();
    await waitForText(page, "domain-claim-result", `You claimed ${brand}: its holder keeps it until`);
    await panel.getByTestId("quote-claimed").waitFor();
    expect(await panel.getByTestId("quote-claim").count()).to.equal(0);

    await shot(page, "web-names-claim");
    const held = (await holderApi.names()).names.find((n) => n.name === brand);
    expect(held?.claimed_by_domain).to.equal(domain);
  });

  it("gives a name up after asking twice", async function () {
    const item = nameItem(page, shortName);
    await item.getByTestId("name-release").click();
    await item.getByTestId("name-release-confirm").click();
    await item.waitFor({ state: "detached" });
    const panel = await quote(page, shortName, shortName);
    // Just released: available again, at the release premium, which the first payment includes.
    expect(await panel.getAttribute("data-available")).to.equal("true");
    const premium = (await panel.getByTestId("quote-release-premium").textContent()) ?? "";
    expect(premium).to.match(/^€\d/);
    const total = /^(€[\d,.]+) for the first year$/.exec(
      (await panel.getByTestId("quote-total").textContent()) ?? "",
    );
    expect(total?.[1]).to.not.equal("€50.00");
    await page.getByTestId("name-reserve").click();
    const held = nameItem(page, shortName, "held");
    await held.getByTestId("payment-form").waitFor();
    expect(await held.getByTestId("payment-submit").textContent()).to.equal(`Pay ${total?.[1]}`);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});

describe("web client names in grace", function () {
  this.timeout(120_000);
  // A term of 3 s: the name enters grace (90 days by default) almost at once.
  const web = webSuite({ env: { CALLSIGN_NAME_TERM_S: "3" } });

  it("warns that a name is in grace and renews it", async function () {
    const page = await web.pages.open();
    const run = Date.now().toString(36);
    await web.pages.signUp(page, { email: `grace-${run}@example.org`, password: "correct horse 1" });
    await openNames(page);
    const name = `grace${run}`;
    await quote(page, name, name);
    await page.getByTestId("name-reserve").click();
    await nameItem(page, name, "active").waitFor();

    // The deadline job moves it to grace; the screen shows it when opened again.
    await until("grace", async () => {
      await page.getByTestId("nav-calls").click();
      await openNames(page);
      return (await nameItem(page, name).getAttribute("data-state")) === "grace" || undefined;
    });
    const item = nameItem(page, name, "grace");
    expect(await item.getByTestId("name-grace").textContent()).to.match(
      /^In grace until .*: renew now or lose it\.$/,
    );
    await shot(page, "web-names-grace");
    // A free name renews without a card.
    expect(await item.getByTestId("name-pay").textContent()).to.equal("Renew (free)");
    const renewed = page.waitForResponse((r) => r.url().endsWith(`/names/${name}/renew`));
    await item.getByTestId("name-pay").click();
    expect((await renewed).status()).to.equal(200);
    await nameItem(page, name, "active").waitFor();
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
