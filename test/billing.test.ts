/**
 * Tariff plans, subscriptions and payments of Webcam services (issue 5): the plan's operator
 * limit and longest call hold; a trial that ends unpaid goes past due and then pauses the
 * service, with a clear message to callers; paying an invoice through the sandbox provider's
 * checkout (confirmed by its signed webhook) brings it back; forged and repeated webhooks change
 * nothing; a refund takes the period back; name fees and invoices share one ledger.
 */
import { expect } from "chai";
import type {
  InvoiceView,
  LedgerEntryView,
  PlanView,
  SubscriptionView,
} from "../protocol/callsign/billing.js";
import type { CallView, HandleView } from "../protocol/callsign/calls.js";
import type { CustomerView } from "../protocol/callsign/customers.js";
import { PaymentRoutes } from "../protocol/callsign/routes.js";
import type { ServiceView } from "../protocol/callsign/services.js";
import { SIGNATURE_HEADER, signWebhook } from "../server/src/services/payments/webhook-signature.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

const WEBHOOK_SECRET = "test-webhook-secret-0123456789";
const CARD = "4242 4242 4242 4242";
const DECLINED = "4000 0000 0000 0002";

describe("plans, subscriptions and payments", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  let owner: Subscriber;
  let manager: Subscriber;
  let customerId: string;
  before(async () => {
    net = await TestNetwork.start({
      env: {
        // mini: 10.00 a period, shared queue only, 1 operator online, calls of 3 s at most.
        CALLSIGN_PLANS: "mini:1000:shared:1:0.05,big:3000:auto:3:60",
        CALLSIGN_TRIAL_S: "4",
        CALLSIGN_BILLING_PERIOD_S: "30",
        CALLSIGN_PAST_DUE_S: "2",
        CALLSIGN_PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
    url = net.baseUrl;
    owner = await subscriber(url);
    manager = await subscriber(url);
    customerId = (await ext<CustomerView>(url, "POST", "/customers", owner.access_token, { name: "Bill Co" }))
      .body.customer_id;
    await ext(url, "POST", `/customers/${customerId}/team`, owner.access_token, { handle: manager.email });
  });
  after(() => net?.close());

  let seq = 0;
  async function service(): Promise<ServiceView> {
    seq += 1;
    const res = await ext<ServiceView>(url, "POST", `/customers/${customerId}/services`, owner.access_token, {
      service_id: `billdesk${seq}x${Date.now() % 100000}`,
      display_name: `Bill desk ${seq}`,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  }
  const subscription = async (s: ServiceView) =>
    (await ext<SubscriptionView>(url, "GET", `/services/${s.service_id}/subscription`, owner.access_token))
      .body;
  const goOnline = (op: Subscriber, s: ServiceView) =>
    ext(url, "PUT", `/services/${s.service_id}/online`, op.access_token, { online: true });
  async function operator(s: ServiceView): Promise<Subscriber> {
    const op = await subscriber(url, { online: true });
    await ext(url, "POST", `/services/${s.service_id}/operators`, owner.access_token, { email: op.email });
    return op;
  }

  it("lists the plans, and holds a plan's operator limit and longest call", async () => {
    const listed = await ext<{ plans: PlanView[] }>(url, "GET", "/plans");
    expect(listed.body.plans.map((p) => [p.plan, p.monthly_cents, p.max_operators, p.modes])).to.deep.equal([
      ["mini", 1000, 1, ["shared"]],
      ["big", 3000, 3, ["shared", "auto"]],
    ]);
    const s = await service();
    expect((await subscription(s)).plan.plan).to.equal("mini");
    const [a, b] = [await operator(s), await operator(s)];
    expect((await goOnline(a, s)).status).to.equal(200);
    const over = await goOnline(b, s);
    expect([over.status, over.body.errcode, over.body.max_operators]).to.deep.equal([
      403,
      "IO_CALLSIGN_PLAN_LIMIT",
      1,
    ]);
    await ext(url, "PUT", `/services/${s.service_id}/online`, a.access_token, { online: false });
    expect((await goOnline(b, s)).status).to.equal(200);

    const caller = await subscriber(url);
    const placed = await placeCall(url, caller.access_token, { handle: s.handle, topic: "long talk" });
    const taken = await ext<CallView>(url, "POST", `/calls/${placed.body.call_id}/take`, b.access_token);
    expect(taken.body.state).to.equal("answered");
    // The plan's longest call is 3 s: a job ends it and says why.
    const ended = await until("the call ended by the plan's limit", async () => {
      const c = await ext<CallView>(url, "GET", `/calls/${placed.body.call_id}`, caller.access_token);
      return c.body.state === "ended" ? c.body : undefined;
    });
    expect(ended.reason).to.match(/longest duration/);
    // Not before the plan's 3 s; the job's lateness on a loaded machine is not what is tested.
    expect(ended.ended_at! - ended.answered_at!).to.be.within(2_500, 30_000);

    // A bigger plan allows more operators at once.
    const changed = await ext<SubscriptionView>(
      url,
      "PUT",
      `/services/${s.service_id}/subscription`,
      manager.access_token,
      {
        plan: "big",
      },
    );
    expect(changed.body.plan.max_operators).to.equal(3);
    expect((await goOnline(a, s)).status).to.equal(200);
    const unknown = await ext(url, "PUT", `/services/${s.service_id}/subscription`, owner.access_token, {
      plan: "platinum",
    });
    expect([unknown.status, unknown.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
  });

  it("pauses a service whose trial ended unpaid, and brings it back when an invoice is paid at the checkout", async () => {
    const s = await service();
    const op = await operator(s);
    await goOnline(op, s);
    const trial = await subscription(s);
    expect(trial.state).to.equal("trialing");

    // Past due after the 4-s trial: it still takes calls.
    await until("past due", async () => ((await subscription(s)).state === "past_due" ? true : undefined));
    const during = await placeCall(url, (await subscriber(url)).access_token, {
      handle: s.handle,
      topic: "late",
    });
    expect(during.body.state).to.equal("queued");
    // Paused 2 s later: callers are told why, and nobody is rung.
    await until("paused", async () => ((await subscription(s)).state === "paused" ? true : undefined));
    const caller = await subscriber(url);
    const refused = await placeCall(url, caller.access_token, { handle: s.handle, topic: "anyone?" });
    expect([refused.status, refused.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_SERVICE_PAUSED"]);
    expect(refused.body.error).to.match(/not taking calls.*unpaid/);
    const view = await ext<HandleView>(url, "GET", `/handles/${s.handle}`);
    expect([view.body.paused, view.body.online]).to.deep.equal([true, false]);
    expect((await subscription(s)).events.map((e) => e.to)).to.deep.equal(["trialing", "past_due", "paused"]);

    // Only the management team pays.
    const notTeam = await ext(url, "POST", `/services/${s.service_id}/invoices`, op.access_token);
    expect(notTeam.status).to.equal(404);
    const invoice = (
      await ext<InvoiceView>(url, "POST", `/services/${s.service_id}/invoices`, manager.access_token)
    ).body;
    expect(invoice).to.include({ state: "open", amount_cents: 1000, plan: "mini" });
    // Asking again while it is unpaid gives the same invoice, not a second one.
    const same = await ext<InvoiceView>(
      url,
      "POST",
      `/services/${s.service_id}/invoices`,
      owner.access_token,
    );
    expect(same.body.invoice_id).to.equal(invoice.invoice_id);
    const page = await fetch(invoice.checkout_url!);
    expect(await page.text()).to.include("10.00 EUR");

    // The sandbox declines its test card: recorded, nothing else changes.
    const declined = await payAt(invoice.checkout_url!, DECLINED);
    expect(declined).to.deep.include({ status: "declined" });
    expect((await subscription(s)).state).to.equal("paused");
    // Paid: the signed webhook makes the invoice paid and the service active again.
    const paid = await payAt(invoice.checkout_url!, CARD);
    expect(paid.status).to.equal("paid");
    const active = await subscription(s);
    expect(active.state).to.equal("active");
    expect(active.period_end).to.be.above(Date.now() + 20_000);
    const again = await placeCall(url, caller.access_token, { handle: s.handle, topic: "back?" });
    expect(again.body.state).to.equal("queued");
    const invoices = await ext<{ invoices: InvoiceView[] }>(
      url,
      "GET",
      `/services/${s.service_id}/invoices`,
      owner.access_token,
    );
    expect(invoices.body.invoices.map((i) => [i.state, i.checkout_url])).to.deep.equal([["paid", null]]);

    const ledger = await ledgerOf();
    const mine = ledger.filter((e) => e.purpose === `invoice:${invoice.invoice_id}`);
    expect(mine.map((e) => [e.kind, e.status, e.amount_cents, e.payer]).sort()).to.deep.equal(
      [
        ["charge", "declined", 1000, manager.user_id],
        ["charge", "succeeded", 1000, manager.user_id],
      ].sort(),
    );
  });

  it("refuses forged webhooks and records a repeated delivery once; a refund takes the period back", async () => {
    const s = await service();
    await until("past due", async () => ((await subscription(s)).state === "past_due" ? true : undefined));
    const invoice = (
      await ext<InvoiceView>(url, "POST", `/services/${s.service_id}/invoices`, owner.access_token)
    ).body;
    const checkoutRef = await net.query<{ checkout_ref: string }>(
      `SELECT checkout_ref FROM invoices WHERE invoice_id = $1`,
      [invoice.invoice_id],
    );
    const event = JSON.stringify({
      id: `evt_test_${Date.now()}`,
      type: "checkout.completed",
      checkoutRef: checkoutRef[0]!.checkout_ref,
      chargeRef: "ch_test",
      amountCents: 1000,
      currency: "EUR",
    });
    const hook = `${url}${PaymentRoutes.webhook.replace(":provider", "sandbox")}`;
    const deliver = (signature: string | undefined, body = event) =>
      fetch(hook, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature && { [SIGNATURE_HEADER]: signature }) },
        body,
      });
    const entries = async () =>
      (await ledgerOf()).filter((e) => e.purpose === `invoice:${invoice.invoice_id}`).length;

    for (const forged of [
      undefined,
      signWebhook("not-the-shared-secret-at-all", event),
      signWebhook(WEBHOOK_SECRET, event, Date.now() - 3_600_000),
    ]) {
      const res = await deliver(forged);
      const body = (await res.json()) as { errcode: string };
      expect([res.status, body.errcode]).to.deep.equal([400, "IO_CALLSIGN_BAD_SIGNATURE"]);
    }
    // A body changed after signing.
    const tampered = await deliver(signWebhook(WEBHOOK_SECRET, event), event.replace("1000", "1"));
    expect(tampered.status).to.equal(400);
    expect(await entries()).to.equal(0);
    // Nothing was paid (and the 2-s grace may have paused it meanwhile).
    expect(["past_due", "paused"]).to.include((await subscription(s)).state);

    const first = await deliver(signWebhook(WEBHOOK_SECRET, event));
    expect(await first.json()).to.deep.equal({ received: true, outcome: "paid" });
    const repeat = await deliver(signWebhook(WEBHOOK_SECRET, event));
    expect(await repeat.json()).to.deep.equal({ received: true, outcome: "duplicate" });
    expect(await entries()).to.equal(1);
    const active = await subscription(s);
    expect(active.state).to.equal("active");

    // Only the owner refunds; the period is taken back, so the service is past due again.
    const byManager = await ext(url, "POST", `/invoices/${invoice.invoice_id}/refund`, manager.access_token);
    expect(byManager.status).to.equal(404);
    const refunded = await ext<InvoiceView>(
      url,
      "POST",
      `/invoices/${invoice.invoice_id}/refund`,
      owner.access_token,
    );
    expect(refunded.body.state).to.equal("refunded");
    const twice = await ext(url, "POST", `/invoices/${invoice.invoice_id}/refund`, owner.access_token);
    expect(twice.body.errcode).to.equal("IO_CALLSIGN_BAD_TRANSITION");
    expect((await subscription(s)).state).to.equal("past_due");
    const kinds = (await ledgerOf())
      .filter((e) => e.purpose === `invoice:${invoice.invoice_id}`)
      .map((e) => e.kind);
    expect(kinds.sort()).to.deep.equal(["charge", "refund"]);
  });

  it("keeps name fees of service ids in the customer's ledger, visible to the team only", async () => {
    const priced = await ext<ServiceView>(
      url,
      "POST",
      `/customers/${customerId}/services`,
      owner.access_token,
      {
        service_id: "qzvx",
        display_name: "Short",
      },
    );
    await ext(url, "POST", "/names/qzvx/pay", manager.access_token, { source: CARD });
    const fee = (await ledgerOf()).find((e) => e.purpose === "name:qzvx");
    expect(fee).to.include({
      kind: "charge",
      status: "succeeded",
      amount_cents: 5000,
      payer: manager.user_id,
    });
    expect(priced.status).to.equal(200);
    const outsider = await subscriber(url);
    const peek = await ext(url, "GET", `/customers/${customerId}/ledger`, outsider.access_token);
    expect(peek.status).to.equal(404);
  });

  const ledgerOf = async () =>
    (
      await ext<{ entries: LedgerEntryView[] }>(
        url,
        "GET",
        `/customers/${customerId}/ledger`,
        owner.access_token,
      )
    ).body.entries;
});

async function payAt(checkoutUrl: string, card: string): Promise<{ status: string; reason?: string }> {
  const res = await fetch(checkoutUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ card }),
  });
  expect(res.status).to.equal(200);
  return (await res.json()) as { status: string; reason?: string };
}
