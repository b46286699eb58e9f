/** Subscriptions of services, their audit log, invoices, and the payment provider's webhook events. */
import type {
  InvoiceStateValue,
  SubscriptionEventView,
  SubscriptionStateValue,
} from "../../../../protocol/callsign/billing.js";
import type { Sql } from "../database.js";

export interface SubscriptionRow {
  serviceId: string;
  plan: string;
  state: SubscriptionStateValue;
  trialEnd: Date | null;
  periodEnd: Date | null;
  pauseAt: Date | null;
}

export interface InvoiceRow {
  invoiceId: string;
  serviceId: string;
  plan: string;
  amountCents: number;
  currency: string;
  state: InvoiceStateValue;
  checkoutRef: string | null;
  checkoutUrl: string | null;
  chargeRef: string | null;
  createdBy: string;
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
  periodEnd: Date | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toSubscription = (r: any): SubscriptionRow => ({
  serviceId: r.service_id,
  plan: r.plan,
  state: r.state,
  trialEnd: r.trial_end,
  periodEnd: r.period_end,
  pauseAt: r.pause_at,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toInvoice = (r: any): InvoiceRow => ({
  invoiceId: r.invoice_id,
  serviceId: r.service_id,
  plan: r.plan,
  amountCents: r.amount_cents,
  currency: r.currency,
  state: r.state,
  checkoutRef: r.checkout_ref,
  checkoutUrl: r.checkout_url,
  chargeRef: r.charge_ref,
  createdBy: r.created_by,
  createdAt: r.created_at,
  paidAt: r.paid_at,
  refundedAt: r.refunded_at,
  periodEnd: r.period_end,
});

export class SubscriptionsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(s: SubscriptionRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO subscriptions (service_id, plan, state, trial_end, period_end, pause_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.serviceId, s.plan, s.state, s.trialEnd, s.periodEnd, s.pauseAt],
    );
  }

  async get(serviceId: string, forUpdate = false): Promise<SubscriptionRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM subscriptions WHERE service_id = $1${forUpdate ? " FOR UPDATE" : ""}`,
      [serviceId],
    );
    return r ? toSubscription(r) : undefined;
  }

  async update(serviceId: string, patch: Partial<Omit<SubscriptionRow, "serviceId">>): Promise<void> {
    const cols: Record<string, string> = {
      plan: "plan",
      state: "state",
      trialEnd: "trial_end",
      periodEnd: "period_end",
      pauseAt: "pause_at",
    };
    const entries = Object.entries(patch);
    await this.sql.query(
      `UPDATE subscriptions SET ${entries.map(([k], i) => `${cols[k]} = $${i + 2}`).join(", ")}, updated_at = now()
       WHERE service_id = $1`,
      [serviceId, ...entries.map(([, v]) => v)],
    );
  }

  async logEvent(
    serviceId: string,
    from: SubscriptionStateValue | null,
    to: SubscriptionStateValue,
    reason: string,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO subscription_events (service_id, from_state, to_state, reason) VALUES ($1, $2, $3, $4)`,
      [serviceId, from, to, reason],
    );
  }

  async events(serviceId: string): Promise<SubscriptionEventView[]> {
    const rows = await this.sql.query(
      `SELECT from_state, to_state, reason, at FROM subscription_events WHERE service_id = $1 ORDER BY id`,
      [serviceId],
    );
    return rows.map(
      (r: {
        from_state: SubscriptionStateValue | null;
        to_state: SubscriptionStateValue;
        reason: string;
        at: Date;
      }) => ({
        from: r.from_state,
        to: r.to_state,
        reason: r.reason,
        at: r.at.getTime(),
      }),
    );
  }

  /** Subscriptions whose next deadline (trial end, period end, pause) passed before `before`. */
  async overdue(before: Date): Promise<SubscriptionRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM subscriptions WHERE
         (state = 'trialing' AND trial_end < $1) OR (state = 'active' AND period_end < $1)
         OR (state = 'past_due' AND pause_at < $1)
       LIMIT 1000`,
      [before],
    );
    return rows.map(toSubscription);
  }
}

export class InvoicesRepo {
  constructor(private readonly sql: Sql) {}

  async insert(
    i: Omit<InvoiceRow, "createdAt" | "paidAt" | "refundedAt" | "periodEnd" | "chargeRef">,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO invoices (invoice_id, service_id, plan, amount_cents, currency, state, checkout_ref, checkout_url,
         created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        i.invoiceId,
        i.serviceId,
        i.plan,
        i.amountCents,
        i.currency,
        i.state,
        i.checkoutRef,
        i.checkoutUrl,
        i.createdBy,
      ],
    );
  }

  async get(invoiceId: string, forUpdate = false): Promise<InvoiceRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM invoices WHERE invoice_id = $1${forUpdate ? " FOR UPDATE" : ""}`,
      [invoiceId],
    );
    return r ? toInvoice(r) : undefined;
  }

  /** The service's open invoice for `plan`, if one waits for payment. */
  async openFor(serviceId: string, plan: string): Promise<InvoiceRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM invoices WHERE service_id = $1 AND plan = $2 AND state = 'open'
       ORDER BY created_at DESC LIMIT 1`,
      [serviceId, plan],
    );
    return r ? toInvoice(r) : undefined;
  }

  async byCheckout(checkoutRef: string): Promise<InvoiceRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM invoices WHERE checkout_ref = $1 FOR UPDATE`, [
      checkoutRef,
    ]);
    return r ? toInvoice(r) : undefined;
  }

  async setCheckout(invoiceId: string, ref: string, url: string): Promise<void> {
    await this.sql.query(`UPDATE invoices SET checkout_ref = $2, checkout_url = $3 WHERE invoice_id = $1`, [
      invoiceId,
      ref,
      url,
    ]);
  }

  async ofService(serviceId: string): Promise<InvoiceRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM invoices WHERE service_id = $1 ORDER BY created_at DESC, invoice_id`,
      [serviceId],
    );
    return rows.map(toInvoice);
  }

  async markPaid(invoiceId: string, chargeRef: string, periodEnd: Date): Promise<void> {
    await this.sql.query(
      `UPDATE invoices SET state = 'paid', charge_ref = $2, paid_at = now(), period_end = $3, checkout_url = NULL
       WHERE invoice_id = $1`,
      [invoiceId, chargeRef, periodEnd],
    );
  }

  async markRefunded(invoiceId: string): Promise<void> {
    await this.sql.query(
      `UPDATE invoices SET state = 'refunded', refunded_at = now() WHERE invoice_id = $1`,
      [invoiceId],
    );
  }
}

export class WebhookEventsRepo {
  constructor(private readonly sql: Sql) {}

  /** Records an event; false when it was seen before (a repeated delivery). */
  async first(provider: string, eventId: string, type: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO webhook_events (provider, event_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [provider, eventId, type],
    );
    return rows.length === 1;
  }
}
