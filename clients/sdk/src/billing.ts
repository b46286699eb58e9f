/**
 * The Callsign plans and payments API (`/_callsign/client/v1`): the provider's plans, a
 * service's subscription (its plan and where it stands: trialing, active, past due, paused),
 * invoices paid through the payment provider's checkout page, refunds, and a customer's ledger
 * of every money movement. spec/services.md ("Plans and subscriptions", "Payments") defines the
 * semantics.
 */
import type {
  ChangePlanRequest,
  InvoiceView,
  LedgerEntryView,
  PlanView,
  SubscriptionView,
} from "../../../protocol/callsign/billing.js";
import { CallsignRoutes } from "../../../protocol/callsign/routes.js";
import type { z } from "zod";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type ChangePlan = z.input<typeof ChangePlanRequest>;

/**
 * A typed client of the plans and payments API for one account (or none: `plans()` works signed
 * out). Every method rejects with a `ProtocolError` carrying the server's `errcode`: 404
 * `M_NOT_FOUND` for a service or invoice outside the requester's team (a refund by anybody but
 * the customer's owner included), 400 `M_INVALID_PARAM` for an unknown plan, 409
 * `IO_CALLSIGN_BAD_TRANSITION` for refunding an invoice that is not paid.
 *
 * @example
 * const billing = new BillingApi("https://telco-a.example", accessToken);
 * const { plans } = await billing.plans();
 * await billing.changePlan(serviceId, plans[1]!.plan);
 * const invoice = await billing.createInvoice(serviceId);
 * window.open(invoice.checkout_url!); // the payer pays on the provider's page
 * // ...the provider's webhook confirms it; then:
 * (await billing.subscription(serviceId)).state; // "active"
 */
export class BillingApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the account's access token; omit to list the plans signed out
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken?: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /** The provider's plans, the first of them the plan of every new service's trial. */
  plans(): Promise<{ plans: PlanView[] }> {
    return this.send("GET", routePath(CallsignRoutes.plans));
  }

  /** Where the service's subscription stands, with its audit events (the team only). */
  subscription(serviceId: string): Promise<SubscriptionView> {
    return this.send("GET", routePath(CallsignRoutes.serviceSubscription, { serviceId }));
  }

  /** Switches the service to another plan at once; its state and paid time stay as they are. */
  changePlan(serviceId: string, plan: string): Promise<SubscriptionView> {
    const body: ChangePlan = { plan };
    return this.send("PUT", routePath(CallsignRoutes.serviceSubscription, { serviceId }), body);
  }

  /**
   * A new open invoice of one period of the service's plan, with the provider's `checkout_url`
   * where the payer pays. The invoice is paid (and the subscription moves on by one period) when
   * the provider's webhook confirms the payment, not when this answers.
   */
  createInvoice(serviceId: string): Promise<InvoiceView> {
    return this.send("POST", routePath(CallsignRoutes.serviceInvoices, { serviceId }), {});
  }

  /** The service's invoices, newest first. */
  invoices(serviceId: string): Promise<{ invoices: InvoiceView[] }> {
    return this.send("GET", routePath(CallsignRoutes.serviceInvoices, { serviceId }));
  }

  /** The customer's owner gives a paid invoice's money back; its period is taken back. */
  refund(invoiceId: string): Promise<InvoiceView> {
    return this.send("POST", routePath(CallsignRoutes.invoiceRefund, { invoiceId }), {});
  }

  /** Every money movement of the customer (plan invoices and its services' name fees), newest first. */
  ledger(customerId: string): Promise<{ entries: LedgerEntryView[] }> {
    return this.send("GET", routePath(CallsignRoutes.customerLedger, { customerId }));
  }
}
