/**
 * The payments ledger: one row per money movement (a charge, declined or not, or a refund), for
 * names and for plan invoices alike. Rows are only ever added.
 */
import type { Sql } from "../database.js";

export interface LedgerEntry {
  paymentId: string;
  kind: "charge" | "refund";
  payerId: string;
  /** The customer whose books it belongs to (service ids and invoices); null for a person's name. */
  customerId: string | null;
  purpose: string;
  amountCents: number;
  currency: string;
  provider: string;
  providerRef: string | null;
  status: "succeeded" | "declined";
  createdAt?: Date;
}

export class LedgerRepo {
  constructor(private readonly sql: Sql) {}

  async record(e: LedgerEntry): Promise<void> {
    await this.sql.query(
      `INSERT INTO payments (payment_id, kind, payer_id, customer_id, purpose, amount_cents, currency, provider,
         provider_ref, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.paymentId,
        e.kind,
        e.payerId,
        e.customerId,
        e.purpose,
        e.amountCents,
        e.currency,
        e.provider,
        e.providerRef,
        e.status,
      ],
    );
  }

  async ofCustomer(customerId: string, limit = 500): Promise<LedgerEntry[]> {
    const rows = await this.sql.query(
      `SELECT * FROM payments WHERE customer_id = $1 ORDER BY created_at DESC, payment_id LIMIT $2`,
      [customerId, limit],
    );
    return rows.map(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (r: any): LedgerEntry => ({
        paymentId: r.payment_id,
        kind: r.kind,
        payerId: r.payer_id,
        customerId: r.customer_id,
        purpose: r.purpose,
        amountCents: r.amount_cents,
        currency: r.currency,
        provider: r.provider,
        providerRef: r.provider_ref,
        status: r.status,
        createdAt: r.created_at,
      }),
    );
  }
}
