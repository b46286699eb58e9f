/**
 * A service's plan and the choice of another: what the current plan costs and allows (how calls
 * are handed out, operators online at once, the longest call), and the provider's plans to
 * switch to. A switch applies at once; what is paid stays paid.
 */
import type { PlanView, SubscriptionView } from "../../../protocol/callsign/billing.js";
import type { BillingApi } from "../../sdk/src/index.js";
import { planOptionText, planText } from "./billing-text.js";
import { busy, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";

export interface PlanPicker {
  element: HTMLElement;
  update: (subscription: SubscriptionView) => void;
}

export function createPlanPicker(
  serviceId: string,
  billing: BillingApi,
  plans: () => Promise<PlanView[]>,
  errors: ErrorLine,
  onChanged: (subscription: SubscriptionView) => void,
): PlanPicker {
  let current: string | null = null;
  const summary = h("p", { class: "muted", testid: "plan-summary" });
  const select = h("select", { name: "plan", "aria-label": "Plan", testid: "plan-select" });
  const change = h("button", { type: "submit", class: "small", testid: "plan-change" }, "Change plan");
  const form = h("form", { class: "inline-form", testid: "plan-form" }, select, change);
  let listed = false;

  const fill = () => {
    if (listed) return;
    plans().then(
      (all) => {
        listed = true;
        replaceChildren(select, ...all.map((p) => h("option", { value: p.plan }, planOptionText(p))));
        if (current) select.value = current;
        select.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const plan = select.value;
    if (!plan || plan === current) return;
    void busy(form, errors, () => billing.changePlan(serviceId, plan)).then((sub) => sub && onChanged(sub));
  });

  return {
    element: h("div", { class: "plan-picker" }, summary, form),
    update: (sub) => {
      current = sub.plan.plan;
      summary.textContent = planText(sub.plan);
      select.value = current;
      fill();
    },
  };
}
