/**
 * A service's subscription on its card, always in sight of the team: the plan and its state
 * (free trial, active, past due, paused) with the date that matters next, a clear warning while
 * the service is past due or paused, and "Pay next period", which opens the payment provider's
 * checkout in a new tab. The provider confirms a payment to the homeserver by webhook, so the
 * subscription is read again when the payer comes back to this page, by Refresh, and at each
 * deadline it passes by itself (the trial's end, the pause), so the card never shows a stale state.
 */
import type { SubscriptionView } from "../../../protocol/callsign/billing.js";
import type { BillingApi } from "../../sdk/src/index.js";
import { nextDeadline, SUBSCRIPTION_LABELS, subscriptionText, subscriptionWarning } from "./billing-text.js";
import { openCheckoutTab, whenBack } from "./checkout.js";
import { busy, h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { formatMoney } from "./names-text.js";

export interface SubscriptionPanel {
  element: HTMLElement;
  /** Reads the subscription again. */
  refresh: () => void;
}

/** Deadlines further away than this are not waited for by a timer (the page is read again by then). */
const WATCH_WITHIN_MS = 24 * 3600_000;
/** The job that moves a subscription at its deadline may run a little late: look again this often. */
const RETRY_MS = 2000;
const RETRIES = 5;

export function createSubscriptionView(
  serviceId: string,
  billing: BillingApi,
  /** Every subscription read, for what depends on the plan (distribution, the plan picker). */
  onRead: (subscription: SubscriptionView) => void,
): SubscriptionPanel {
  let current: SubscriptionView | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retries = 0;
  /** While a checkout is open elsewhere: stops listening for the payer's return. */
  let stopWatching: (() => void) | null = null;
  /** The paid time when the checkout was opened: once it moves, the payment went through. */
  let paidUntil: number | null = null;

  const plan = h("strong", { testid: "subscription-plan" });
  const badge = h("span", { class: "pill", testid: "subscription-state" });
  const text = h("span", { class: "muted grow", testid: "subscription-text" });
  const warning = h("p", { class: "warning", role: "status", hidden: true, testid: "subscription-warning" });
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "billing-error" });
  const errors = new ErrorLine(errorText);
  const pay = h("button", { type: "button", class: "primary small", testid: "subscription-pay" });
  const refreshButton = h(
    "button",
    { type: "button", class: "small", testid: "subscription-refresh" },
    "Refresh",
  );
  const checkout = h("p", { class: "muted", hidden: true, testid: "checkout-note" });
  const element = h(
    "div",
    { class: "subscription", testid: "subscription" },
    h("div", { class: "name-head" }, h("span", { class: "muted" }, "Plan"), plan, badge),
    h("div", { class: "row" }, text, pay, refreshButton),
    warning,
    checkout,
    errorText,
  );

  const show = (sub: SubscriptionView) => {
    const moved = !current || current.state !== sub.state || nextDeadline(current) !== nextDeadline(sub);
    current = sub;
    element.dataset.state = sub.state;
    plan.textContent = sub.plan.plan;
    badge.textContent = SUBSCRIPTION_LABELS[sub.state];
    badge.className = `pill subscription-${sub.state}`;
    text.textContent = subscriptionText(sub);
    const warn = subscriptionWarning(sub);
    warning.textContent = warn ?? "";
    warning.hidden = warn === null;
    // Paying matters most when the service is about to stop, or has stopped, taking calls.
    pay.className = warn === null ? "small" : "primary small";
    pay.textContent = `Pay next period (${formatMoney(sub.plan.monthly_cents, sub.plan.currency)})`;
    if (stopWatching && sub.period_end !== paidUntil) {
      // The payment went through: nothing more to wait for.
      stopWatching();
      stopWatching = null;
      checkout.hidden = true;
    }
    if (moved) retries = 0;
    watchDeadline(sub);
    onRead(sub);
  };

  const read = () => billing.subscription(serviceId).then(show);
  const refresh = () => void read().catch((error: unknown) => errors.show(error));

  /** Reads again when the subscription moves by itself, while the card is on the page. */
  const watchDeadline = (sub: SubscriptionView) => {
    clearTimeout(timer);
    const due = nextDeadline(sub);
    if (due === null) return;
    const wait = due - Date.now();
    if (wait > WATCH_WITHIN_MS) return;
    if (wait < 0 && retries >= RETRIES) return;
    if (wait < 0) retries += 1;
    timer = setTimeout(
      () => {
        if (element.isConnected) refresh();
      },
      Math.max(wait + 500, RETRY_MS),
    );
  };

  refreshButton.addEventListener("click", () => {
    void busy(refreshButton, errors, read);
  });
  pay.addEventListener("click", () => {
    const tab = openCheckoutTab();
    void busy(pay, errors, () => billing.createInvoice(serviceId)).then((invoice) => {
      if (!invoice?.checkout_url) return tab.abandon();
      const url = invoice.checkout_url;
      const opened = tab.go(url);
      const link = h(
        "a",
        { href: url, target: "_blank", rel: "noopener", testid: "checkout-link" },
        "open the checkout page",
      );
      replaceChildren(
        checkout,
        opened
          ? "The checkout is open in a new tab: pay there, then come back here (or "
          : "Your browser blocked the new tab: ",
        link,
        opened ? ")." : ".",
      );
      checkout.hidden = false;
      paidUntil = current?.period_end ?? null;
      stopWatching?.();
      stopWatching = whenBack(() => {
        if (element.isConnected) refresh();
        else stopWatching?.();
      });
    });
  });

  return { element, refresh };
}
