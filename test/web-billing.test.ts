/**
 * Plans and payments of a service in the reference web client, real browsers against a real
 * homeserver with a short trial and grace: the service's card shows its free trial, then — by
 * itself, as the deadlines pass — past due and paused with a clear warning, while a caller's link
 * page says it is not taking calls; the owner pays the next period on the sandbox provider's
 * checkout page, opened from the card in a new tab, and the card shows it active when the owner
 * comes back; the invoice and the customer's ledger list the charge, and a refund. The plan
 * gates automatic distribution (the refusal is explained) until a bigger plan is chosen; routing
 * rules send calls by topic to another service of the company.
 */
import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import type { ServiceView } from "../protocol/callsign/services.js";
import { ext } from "./helpers/calls.js";
import {
  accessTokenOf,
  createCompany,
  createService,
  openDetails,
  openServices,
} from "./helpers/services-pages.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

/** Long enough to see the trial on the card; the grace after it likewise. */
const TRIAL_S = 8;
const PAST_DUE_S = 5;

describe("web client billing", function () {
  this.timeout(120_000);

  const web = webSuite({
    env: {
      // mini: 10.00 a month, the shared queue only; big: 30.00, automatic distribution too.
      CALLSIGN_PLANS: "mini:1000:shared:1:60,big:3000:auto:3:60",
      CALLSIGN_TRIAL_S: String(TRIAL_S),
      CALLSIGN_PAST_DUE_S: String(PAST_DUE_S),
      CALLSIGN_BILLING_PERIOD_S: "3600",
    },
  });

  const run = Date.now().toString(36);
  const desk = { id: `billdesk${run}`, name: "Bill Desk" };
  const refunds = { id: `refunds${run}`, name: "Refunds Desk" };
  let owner: Page;
  let card: Locator;
  let serviceId = "";

  const stored = async () =>
    (await ext<ServiceView>(web.network.baseUrl, "GET", `/services/${serviceId}`, await accessTokenOf(owner)))
      .body;
  const state = (name: string) => card.locator(`[data-testid="subscription"][data-state="${name}"]`);

  it("shows the trial, then past due and paused as the deadlines pass, with a warning", async function () {
    owner = await web.pages.open();
    await web.pages.signUp(owner, { email: `billing-${run}@example.org`, password: "correct horse 1" });
    await createCompany(owner, `Bill Co ${run}`);
    card = await createService(owner, desk.id, desk.name);
    serviceId = (await card.getAttribute("data-service-id")) ?? "";
    await state("trialing").waitFor();
    expect(await card.getByTestId("subscription-plan").textContent()).to.equal("mini");
    expect(await card.getByTestId("subscription-state").textContent()).to.equal("Free trial");
    expect(await card.getByTestId("subscription-text").textContent()).to.match(/^Free until /);
    expect(await card.getByTestId("subscription-pay").textContent()).to.equal("Pay next period (€10.00)");
    expect(await card.getByTestId("subscription-warning").isVisible()).to.equal(false);

    // Nobody touches the page: the card reads the subscription again when the trial ends.
    await state("past_due").waitFor({ timeout: (TRIAL_S + 10) * 1000 });
    expect(await card.getByTestId("subscription-state").textContent()).to.equal("Past due");
    expect(await card.getByTestId("subscription-warning").textContent()).to.match(
      /^Payment overdue: the service still takes calls until .*, then it is paused\./,
    );
    await card.scrollIntoViewIfNeeded();
    await shot(owner, "web-billing-past-due");

    await state("paused").waitFor({ timeout: (PAST_DUE_S + 10) * 1000 });
    expect(await card.getByTestId("subscription-warning").textContent()).to.match(
      /^Paused: callers are told the service is not taking calls because its subscription is unpaid/,
    );
    await shot(owner, "web-billing-paused");

    // A caller's link page says so, and offers no Call button to press.
    const caller = await web.pages.open(`/call/${desk.id}`);
    await caller.locator('[data-testid="call-form"][data-loaded]').waitFor();
    expect(await caller.getByTestId("callee-online").textContent()).to.equal("Not taking calls (unpaid)");
    expect(await caller.getByTestId("call-button").isDisabled()).to.equal(true);
    await shot(caller, "web-billing-caller-paused");
    await caller.context().close();
  });

  it("pays the next period on the provider's checkout page in a new tab, and shows it active on return", async function () {
    const [checkout] = await Promise.all([
      owner.waitForEvent("popup"),
      card.getByTestId("subscription-pay").click(),
    ]);
    await checkout.waitForURL(/\/_callsign\/sandbox\/checkout\//);
    await checkout.getByTestId("pay").waitFor();
    expect(await checkout.getByTestId("amount").textContent()).to.equal("10.00 EUR");
    expect(await checkout.evaluate(() => window.opener)).to.equal(null);
    await waitForText(owner, "checkout-note", "pay there, then come back here");
    await shot(checkout, "web-billing-checkout");
    await checkout.getByTestId("card").fill("4242 4242 4242 4242");
    await checkout.getByTestId("pay").click();
    await checkout.getByTestId("result").filter({ hasText: "Payment received." }).waitFor();
    await checkout.close();

    // Coming back to the page reads the subscription again. Headless Chromium moves no window
    // focus between tabs, so the focus event a desktop browser fires on return is sent here.
    await owner.bringToFront();
    await owner.evaluate(() => window.dispatchEvent(new Event("focus")));
    await state("active").waitFor();
    expect(await card.getByTestId("subscription-warning").isVisible()).to.equal(false);
    expect(await card.getByTestId("subscription-text").textContent()).to.match(/^Paid until /);
    expect(await card.getByTestId("checkout-note").isVisible()).to.equal(false);

    const billing = await openDetails(card, "billing-details");
    await billing.locator('[data-testid="invoices"][data-loaded]').waitFor();
    const invoice = billing.locator('[data-testid="invoice"][data-state="paid"]');
    await invoice.waitFor();
    expect(await invoice.getByTestId("invoice-amount").textContent()).to.equal("€10.00");
    expect(await invoice.getByTestId("invoice-dates").textContent()).to.match(/^Paid .*, covers until /);
    await card.scrollIntoViewIfNeeded();
    await shot(owner, "web-billing-active");

    const ledger = await openDetails(owner.getByTestId("customer"), "ledger-section");
    await ledger.locator('[data-testid="ledger"][data-loaded]').waitFor();
    const charge = ledger.locator(
      '[data-testid="ledger-entry"][data-kind="charge"][data-status="succeeded"]',
    );
    expect(await charge.getByTestId("ledger-purpose").textContent()).to.match(/^Invoice in_/);
    expect(await charge.getByTestId("ledger-amount").textContent()).to.equal("€10.00");
    await ledger.scrollIntoViewIfNeeded();
    await shot(owner, "web-billing-ledger");

    // The owner refunds it (asked twice): the period is taken back, the ledger records it.
    await invoice.getByTestId("invoice-refund").click();
    await invoice.getByTestId("invoice-refund").filter({ hasText: "Confirm refund" }).click();
    await billing.locator('[data-testid="invoice"][data-state="refunded"]').waitFor();
    await card.locator('[data-testid="subscription"]:not([data-state="active"])').waitFor();
    await ledger.getByTestId("ledger-refresh").click();
    const refund = ledger.locator('[data-testid="ledger-entry"][data-kind="refund"]');
    expect(await refund.getByTestId("ledger-amount").textContent()).to.equal("−€10.00");
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("explains that the plan has no automatic distribution, until a bigger plan is chosen", async function () {
    await openServices(owner);
    const calls = await openDetails(card, "calls-details");
    expect(await calls.getByTestId("distribution-plan-note").textContent()).to.match(
      /^The mini plan has the shared queue only/,
    );
    await calls.getByTestId("distribution-auto").check();
    await calls.getByTestId("distribution-timeout").fill("30");
    await calls.getByTestId("distribution-save").click();
    await waitForText(
      owner,
      "distribution-error",
      /^IO_CALLSIGN_PLAN_LIMIT: The mini plan does not include auto distribution\. Choose a plan that includes it/,
    );
    await calls.scrollIntoViewIfNeeded();
    await shot(owner, "web-billing-plan-limit");
    expect((await stored()).distribution.mode).to.equal("shared");

    const billing = await openDetails(card, "billing-details");
    await billing.locator('[data-testid="plan-select"][data-loaded]').waitFor();
    expect(await billing.locator('[data-testid="plan-select"] option').allTextContents()).to.deep.equal([
      "mini (€10.00)",
      "big (€30.00)",
    ]);
    await billing.getByTestId("plan-select").selectOption("big");
    await billing.getByTestId("plan-change").click();
    await waitForText(owner, "subscription-plan", "big");
    expect(await billing.getByTestId("plan-summary").textContent()).to.match(
      /^€30\.00 a month · shared or automatic distribution · 3 operators online at once/,
    );
    await calls.getByTestId("distribution-plan-note").waitFor({ state: "hidden" });
    await calls.getByTestId("distribution-save").click();
    await card.locator('[data-testid="distribution-form"][data-mode="auto"]').waitFor();
    expect((await stored()).distribution).to.deep.equal({ mode: "auto", offer_timeout_s: 30 });
    expect(await calls.getByTestId("distribution-error").isVisible()).to.equal(false);
  });

  it("routes calls by topic keywords to another service of the company", async function () {
    const other = await createService(owner, refunds.id, refunds.name);
    const otherId = (await other.getAttribute("data-service-id")) ?? "";
    const calls = await openDetails(card, "calls-details");
    await calls.getByTestId("routes-empty").waitFor();
    await calls.getByTestId("route-add").click();
    await calls.getByTestId("route-keywords").fill("refund, money back");
    expect(await calls.getByTestId("route-service").inputValue()).to.equal(otherId);
    await calls.getByTestId("routes-save").click();
    await calls.locator('[data-testid="routes-form"][data-rules="1"]').waitFor();
    await calls.scrollIntoViewIfNeeded();
    await shot(owner, "web-billing-routes");
    expect((await stored()).routes).to.deep.equal([
      { keywords: ["refund", "money back"], service_id: otherId },
    ]);

    // An empty keyword list is the server's to refuse; its words show under the rules.
    await calls.getByTestId("route-keywords").fill(" , ");
    await calls.getByTestId("routes-save").click();
    await calls.getByTestId("routes-error").waitFor();
    expect(await calls.getByTestId("routes-error").textContent()).to.match(/^M_BAD_JSON: /);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
