/**
 * Payments behind one interface. The payment network is outside our control and unreachable
 * here, so the deployment chooses a provider: the sandbox (tests, demos; it declines the test
 * card 4000 0000 0000 0002 like the big card processors' sandboxes do) or a real adapter that
 * implements the same interface. Whoever charges, the caller records the outcome in `payments`.
 */
import { randomBytes } from "node:crypto";

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

export interface PaymentProvider {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
}

/** The card number the sandbox declines. */
export const SANDBOX_DECLINED_CARD = "4000000000000002";

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = "sandbox";

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const providerRef = `sbx_${randomBytes(9).toString("hex")}`;
    if (req.source.replace(/\s/g, "") === SANDBOX_DECLINED_CARD) {
      return { status: "declined", providerRef, declineReason: "The card was declined" };
    }
    return { status: "succeeded", providerRef };
  }
}
