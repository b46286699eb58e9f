/**
 * The sandbox payment provider: it behaves like a card processor's test mode, so the whole
 * payment flow runs here without the payment network. Card 4000 0000 0000 0002 is declined,
 * every other card succeeds.
 *
 * Checkout sessions are stateless: the session token carries the invoice, amount and currency,
 * sealed with an HMAC, and the checkout page (`http/sandbox-checkout.ts`) shows them. When the
 * payer pays there, the sandbox sends the outcome to the homeserver's webhook endpoint over HTTP,
 * signed like a real provider's webhook (webhook-signature.ts), retrying a failed delivery a few
 * times — so the homeserver learns of payments the way it would in production.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { PaymentRoutes } from "../../../../protocol/callsign/routes.js";
import type {
  ChargeRequest,
  ChargeResult,
  CheckoutRequest,
  CheckoutSession,
  PaymentEvent,
  PaymentProvider,
} from "./provider.js";
import { WebhookRejected } from "./provider.js";
import { SIGNATURE_HEADER, signWebhook, webhookSignatureProblem } from "./webhook-signature.js";

/** The card number the sandbox declines. */
export const SANDBOX_DECLINED_CARD = "4000000000000002";
/** Where the sandbox's checkout pages are served (absolute path). */
export const SANDBOX_CHECKOUT_PATH = "/_callsign/sandbox/checkout";
export const SandboxRoutes = { checkout: `${SANDBOX_CHECKOUT_PATH}/:token` } as const;

export interface SandboxSession extends CheckoutRequest {
  ref: string;
}

const ref = (prefix: string) => `${prefix}_${randomBytes(9).toString("hex")}`;
const declined = (card: string) => card.replace(/\s/g, "") === SANDBOX_DECLINED_CARD;

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = "sandbox";

  constructor(
    /** Signs sessions and webhooks (the provider's and the homeserver's shared secret). */
    private readonly secret: string,
    /** The homeserver's public base URL: checkout pages and the webhook endpoint live there. */
    private readonly baseUrl: string,
  ) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const providerRef = ref("sbx");
    if (declined(req.source))
      return { status: "declined", providerRef, declineReason: "The card was declined" };
    return { status: "succeeded", providerRef };
  }

  async createCheckout(req: CheckoutRequest): Promise<CheckoutSession> {
    const session: SandboxSession = { ...req, ref: ref("cs") };
    const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
    const token = `${payload}.${this.seal(payload)}`;
    return { ref: session.ref, url: `${this.baseUrl}${SANDBOX_CHECKOUT_PATH}/${token}` };
  }

  /** The session a checkout token carries, or undefined when the token is not the sandbox's. */
  openSession(token: string): SandboxSession | undefined {
    const [payload, mac] = token.split(".");
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.seal(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return JSON.parse(Buffer.from(payload, "base64url").toString()) as SandboxSession;
  }

  /** The payer paid on the checkout page: the outcome goes to the homeserver's webhook. */
  async pay(session: SandboxSession, card: string): Promise<PaymentEvent> {
    const event: PaymentEvent = declined(card)
      ? {
          id: ref("evt"),
          type: "checkout.declined",
          checkoutRef: session.ref,
          chargeRef: ref("ch"),
          amountCents: session.amountCents,
          currency: session.currency,
          declineReason: "The card was declined",
        }
      : {
          id: ref("evt"),
          type: "checkout.completed",
          checkoutRef: session.ref,
          chargeRef: ref("ch"),
          amountCents: session.amountCents,
          currency: session.currency,
        };
    await this.deliver(event);
    return event;
  }

  async refund(): Promise<ChargeResult> {
    return { status: "succeeded", providerRef: ref("re") };
  }

  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): PaymentEvent {
    const header = headers[SIGNATURE_HEADER];
    const problem = webhookSignatureProblem(this.secret, Array.isArray(header) ? header[0] : header, rawBody);
    if (problem) throw new WebhookRejected(problem);
    const event = JSON.parse(rawBody.toString()) as PaymentEvent;
    if (
      !event.id ||
      !event.checkoutRef ||
      (event.type !== "checkout.completed" && event.type !== "checkout.declined")
    ) {
      throw new WebhookRejected("not a checkout event");
    }
    return event;
  }

  /** Sends an event to the homeserver, signed; a few tries, like a provider's retries. */
  private async deliver(event: PaymentEvent): Promise<void> {
    const body = JSON.stringify(event);
    const url = `${this.baseUrl}${PaymentRoutes.webhook.replace(":provider", this.name)}`;
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signWebhook(this.secret, body) },
          body,
        });
        if (res.ok) return;
        last = new Error(`webhook answered ${res.status}: ${await res.text()}`);
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
    throw last;
  }

  private seal(payload: string): string {
    return createHmac("sha256", this.secret).update(`checkout.${payload}`).digest("base64url");
  }
}
