/**
 * Payments behind one interface. The payment network is outside our control and unreachable
 * here, so the deployment chooses a provider: the sandbox (tests, demos; sandbox.ts) or a real
 * adapter that implements the same interface. Two ways to pay:
 *
 * - `charge`: a direct charge of a card token the client collected (names).
 * - `createCheckout` → the payer pays on the provider's page → the provider tells us through a
 *   signed webhook (`parseWebhook`) → the invoice is paid (plans). `refund` gives money back.
 *
 * Whoever charges, the caller records the outcome in the ledger.
 */

export interface ChargeRequest {
  payerId: string;
  /** What is paid for, e.g. `name:acme` (shown on statements and in the audit log). */
  purpose: string;
  amountCents: number;
  currency: string;
  /** The card or token the client collected from the provider's own form. */
  source: string;
}

export interface ChargeResult {
  status: "succeeded" | "declined";
  /** The provider's reference of the charge. */
  providerRef: string;
  /** Why a charge was declined, in words for the payer. */
  declineReason?: string;
}

export interface CheckoutRequest {
  invoiceId: string;
  amountCents: number;
  currency: string;
  /** What the payer sees on the checkout page. */
  description: string;
}

export interface CheckoutSession {
  /** The provider's reference of the session; its webhook events name it. */
  ref: string;
  /** The provider's page where the payer pays. */
  url: string;
}

/** A verified webhook event. */
export interface PaymentEvent {
  /** The provider's event ID: a delivery repeated with the same ID is the same event. */
  id: string;
  type: "checkout.completed" | "checkout.declined";
  checkoutRef: string;
  /** The charge's reference (completed), for refunds. */
  chargeRef: string;
  amountCents: number;
  currency: string;
  declineReason?: string;
}

/** A webhook delivery that is not the provider's (bad signature, stale, malformed). */
export class WebhookRejected extends Error {}

export interface PaymentProvider {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
  createCheckout(req: CheckoutRequest): Promise<CheckoutSession>;
  refund(chargeRef: string, amountCents: number, currency: string): Promise<ChargeResult>;
  /** Verifies a delivery's signature and freshness and parses it; throws WebhookRejected. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): PaymentEvent;
}
