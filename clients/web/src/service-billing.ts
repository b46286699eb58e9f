/**
 * Billing on a service's card, for its team: the subscription in sight (state, warning, Pay next
 * period), and behind "Plan and invoices" the plan with the choice of another and the invoices.
 * Whatever changes the subscription (a payment, a refund, a new plan) reads the rest again.
 */
import type { PlanView, SubscriptionView } from "../../../protocol/callsign/billing.js";
import type { BillingApi } from "../../sdk/src/index.js";
import { h } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { createInvoicesView } from "./invoices-view.js";
import { createPlanPicker } from "./plan-picker.js";
import { createSubscriptionView } from "./subscription-view.js";

export interface ServiceBillingOptions {
  billing: BillingApi;
  /** The provider's plans (read once for all cards). */
  plans: () => Promise<PlanView[]>;
  /** Whether the user owns the service's customer (refunds). */
  isOwner: () => boolean;
  /** The service's plan as last read (distribution depends on it). */
  onPlan: (plan: PlanView) => void;
}

export interface ServiceBilling {
  /** The subscription line, warning and Pay button. */
  summary: HTMLElement;
  /** "Plan and invoices". */
  details: HTMLElement;
  refresh: () => void;
}

export function createServiceBilling(serviceId: string, options: ServiceBillingOptions): ServiceBilling {
  const { billing } = options;
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "invoices-error" });
  const errors = new ErrorLine(errorText);
  let lastPaid: string | null = null;

  const read = (sub: SubscriptionView) => {
    plan.update(sub);
    options.onPlan(sub.plan);
    // A payment or a refund moved the paid time: the invoices changed too.
    const paid = `${sub.state}|${sub.period_end}`;
    if (lastPaid !== null && paid !== lastPaid && details.open) invoices.refresh();
    lastPaid = paid;
  };
  const subscription = createSubscriptionView(serviceId, billing, read);
  const plan = createPlanPicker(serviceId, billing, options.plans, errors, subscription.refresh);
  const invoices = createInvoicesView(serviceId, billing, errors, options.isOwner, subscription.refresh);

  const details = h(
    "details",
    { class: "service-details", testid: "billing-details" },
    h("summary", { testid: "billing-manage" }, "Plan and invoices"),
    h(
      "section",
      { class: "service-section", testid: "billing-section" },
      h("h4", {}, "Plan"),
      plan.element,
      h("h4", {}, "Invoices"),
      invoices.element,
      errorText,
    ),
  );
  details.addEventListener("toggle", () => {
    if (details.open) invoices.refresh();
  });

  return { summary: subscription.element, details, refresh: subscription.refresh };
}
