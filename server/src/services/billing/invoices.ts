/**
 * Invoices and payments of services (spec/services.md "Payments"). A team member asks for an
 * invoice of the service's plan (the open one again while it is unpaid); the provider's checkout
 * takes the money; the provider's signed
 * webhook confirms it, and in one transaction the ledger records the charge, the invoice is paid
 * and the subscription moves on by a period. Webhook deliveries are idempotent (by event ID), so
 * a repeated delivery records nothing twice; a delivery that is not the provider's is refused.
 * The team's owner may refund a paid invoice: the provider returns the money, the ledger records
 * the refund and the period is taken back.
 */
import { randomBytes } from "node:crypto";
import {
  InvoiceState,
  type InvoiceView,
  type LedgerEntryView,
} from "../../../../protocol/callsign/billing.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database, Sql } from "../../storage/database.js";
import { InvoicesRepo, WebhookEventsRepo, type InvoiceRow } from "../../storage/repositories/billing.js";
import { LedgerRepo } from "../../storage/repositories/ledger.js";
import { ServicesRepo, type ServiceRow } from "../../storage/repositories/services.js";
import { WebhookRejected, type PaymentProvider } from "../payments/provider.js";
import type { Requester } from "../requester.js";
import type { Plans } from "./plans.js";
import type { Deadline, SubscriptionService } from "./subscriptions.js";

const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString("base64url")}`;

export class InvoiceService {
  constructor(
    private readonly db: Database,
    private readonly plans: Plans,
    private readonly subscriptions: SubscriptionService,
    private readonly provider: PaymentProvider,
  ) {}

  /** An open invoice for one period of the service's plan, with the provider's checkout page. */
  async checkout(r: Requester, service: ServiceRow): Promise<InvoiceView> {
    const sub = (await this.subscriptions.get(this.db, service.serviceId))!;
    const plan = this.plans.view(sub.plan);
    // An unpaid invoice of the same plan is paid, not joined by another one.
    const open = await new InvoicesRepo(this.db).openFor(service.serviceId, plan.plan);
    if (open?.checkoutUrl && open.amountCents === plan.monthly_cents) return this.view(open);
    const invoiceId = newId("in");
    await new InvoicesRepo(this.db).insert({
      invoiceId,
      serviceId: service.serviceId,
      plan: plan.plan,
      amountCents: plan.monthly_cents,
      currency: plan.currency,
      state: InvoiceState.Open,
      checkoutRef: null,
      checkoutUrl: null,
      createdBy: r.userId,
    });
    const session = await this.provider.createCheckout({
      invoiceId,
      amountCents: plan.monthly_cents,
      currency: plan.currency,
      description: `Plan ${plan.plan}, one period`,
    });
    await new InvoicesRepo(this.db).setCheckout(invoiceId, session.ref, session.url);
    return this.view((await new InvoicesRepo(this.db).get(invoiceId))!);
  }

  async ofService(service: ServiceRow): Promise<InvoiceView[]> {
    return (await new InvoicesRepo(this.db).ofService(service.serviceId)).map((i) => this.view(i));
  }

  /** A webhook delivery from the provider named in the path. */
  async webhook(
    providerName: string,
    rawBody: Buffer | undefined,
    headers: Record<string, string | string[] | undefined>,
  ) {
    if (providerName !== this.provider.name)
      throw new ProtocolError("M_NOT_FOUND", `No payment provider ${providerName}`);
    let event;
    try {
      event = this.provider.parseWebhook(rawBody ?? Buffer.alloc(0), headers);
    } catch (err) {
      if (err instanceof WebhookRejected || err instanceof SyntaxError) {
        throw new ProtocolError("IO_CALLSIGN_BAD_SIGNATURE", `Webhook refused: ${err.message}`);
      }
      throw err;
    }
    let deadline: Deadline = undefined;
    const outcome = await this.db.transaction(async (tx) => {
      if (!(await new WebhookEventsRepo(tx).first(this.provider.name, event.id, event.type)))
        return "duplicate";
      const invoices = new InvoicesRepo(tx);
      const invoice = await invoices.byCheckout(event.checkoutRef);
      if (!invoice) throw new ProtocolError("M_NOT_FOUND", "No invoice has this checkout");
      if (event.amountCents !== invoice.amountCents || event.currency !== invoice.currency) {
        throw new ProtocolError("M_INVALID_PARAM", "The amount paid is not the invoice's");
      }
      const paid = event.type === "checkout.completed";
      await new LedgerRepo(tx).record({
        paymentId: newId("pay"),
        kind: "charge",
        payerId: invoice.createdBy,
        customerId: await this.customerOf(tx, invoice),
        purpose: `invoice:${invoice.invoiceId}`,
        amountCents: event.amountCents,
        currency: event.currency,
        provider: this.provider.name,
        providerRef: event.chargeRef,
        status: paid ? "succeeded" : "declined",
      });
      if (!paid) return "declined";
      // Paid twice (two checkouts of one invoice): recorded above, the period is bought once.
      if (invoice.state !== InvoiceState.Open) return "already paid";
      deadline = await this.subscriptions.paidIn(tx, invoice.serviceId, `invoice ${invoice.invoiceId} paid`);
      await invoices.markPaid(invoice.invoiceId, event.chargeRef, new Date(deadline.at));
      return "paid";
    });
    await this.subscriptions.schedule(deadline);
    return { received: true, outcome };
  }

  /** Gives a paid invoice's money back (the owner) and takes its period back. */
  async refund(
    r: Requester,
    invoiceId: string,
    isOwner: (serviceId: string) => Promise<boolean>,
  ): Promise<InvoiceView> {
    const invoice = await new InvoicesRepo(this.db).get(invoiceId);
    if (!invoice || !(await isOwner(invoice.serviceId)))
      throw new ProtocolError("M_NOT_FOUND", "No such invoice");
    if (invoice.state !== InvoiceState.Paid || !invoice.chargeRef) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", `The invoice is ${invoice.state}`, {
        state: invoice.state,
      });
    }
    const result = await this.provider.refund(invoice.chargeRef, invoice.amountCents, invoice.currency);
    let deadline: Deadline = undefined;
    await this.db.transaction(async (tx) => {
      const current = (await new InvoicesRepo(tx).get(invoiceId, true))!;
      await new LedgerRepo(tx).record({
        paymentId: newId("pay"),
        kind: "refund",
        payerId: r.userId,
        customerId: await this.customerOf(tx, invoice),
        purpose: `invoice:${invoiceId}`,
        amountCents: invoice.amountCents,
        currency: invoice.currency,
        provider: this.provider.name,
        providerRef: result.providerRef,
        status: result.status,
      });
      if (result.status !== "succeeded" || current.state !== InvoiceState.Paid) return;
      await new InvoicesRepo(tx).markRefunded(invoiceId);
      deadline = await this.subscriptions.refundedIn(tx, invoice.serviceId, `invoice ${invoiceId} refunded`);
    });
    await this.subscriptions.schedule(deadline);
    if (result.status !== "succeeded") {
      throw new ProtocolError(
        "IO_CALLSIGN_PAYMENT_DECLINED",
        result.declineReason ?? "The refund was declined",
      );
    }
    return this.view((await new InvoicesRepo(this.db).get(invoiceId))!);
  }

  /** The customer's ledger: every charge and refund of its services' ids and plans. */
  async ledger(customerId: string): Promise<LedgerEntryView[]> {
    return (await new LedgerRepo(this.db).ofCustomer(customerId)).map((e) => ({
      entry_id: e.paymentId,
      kind: e.kind,
      purpose: e.purpose,
      amount_cents: e.amountCents,
      currency: e.currency,
      status: e.status,
      provider: e.provider,
      provider_ref: e.providerRef,
      payer: e.payerId,
      created_at: e.createdAt!.getTime(),
    }));
  }

  private async customerOf(sql: Sql, invoice: InvoiceRow): Promise<string> {
    return (await new ServicesRepo(sql).get(invoice.serviceId))!.customerId;
  }

  private view(i: InvoiceRow): InvoiceView {
    const ms = (d: Date | null) => (d ? d.getTime() : null);
    return {
      invoice_id: i.invoiceId,
      service_id: i.serviceId,
      plan: i.plan,
      amount_cents: i.amountCents,
      currency: i.currency,
      state: i.state,
      checkout_url: i.state === InvoiceState.Open ? i.checkoutUrl : null,
      created_by: i.createdBy,
      created_at: i.createdAt.getTime(),
      paid_at: ms(i.paidAt),
      refunded_at: ms(i.refundedAt),
      period_end: ms(i.periodEnd),
    };
  }
}
