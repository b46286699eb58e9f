/**
 * A service id's state in the names registry, as its team sees it on the service: active, or
 * held with the amount due and a Pay button that opens the shared payment form (POST
 * /names/{name}/pay, the payer recorded); a name in grace is renewed the same way. Until the id
 * is active the service has no handle and answers to its number only.
 */
import type { NameView } from "../../../protocol/callsign/names.js";
import type { NamesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { formatMoney } from "./names-text.js";
import { createPaymentForm } from "./payment-form.js";
import { serviceNameText } from "./services-text.js";

export interface ServiceNameView {
  element: HTMLElement;
  update: (name: NameView | null) => void;
}

const STATE_LABELS: Record<string, string> = {
  held: "Awaiting payment",
  active: "Active",
  grace: "In grace",
  released: "Released",
};

/** The payment source of a renewal that costs nothing. */
const FREE_SOURCE = "free";

export function createServiceNameView(
  names: NamesApi,
  errors: ErrorLine,
  onPaid: () => void,
): ServiceNameView {
  let name: NameView | null = null;
  const title = h("code", { testid: "service-name" });
  const badge = h("span", { class: "pill", testid: "service-name-state" });
  const status = h("span", { class: "muted", testid: "service-name-status" });
  const pay = h("button", { type: "button", class: "primary small", testid: "service-name-pay" });
  const payment = h("div", { class: "payment", hidden: true });
  const closePayment = () => {
    replaceChildren(payment);
    payment.hidden = true;
  };

  pay.addEventListener("click", () => {
    if (!name) return;
    const { name: id, state, renewal_cents, currency } = name;
    const renewing = state !== "held";
    if (renewing && renewal_cents === 0) {
      void busy(pay, errors, () => names.renew(id, FREE_SOURCE)).then((done) => done && onPaid());
      return;
    }
    const amount = formatMoney(renewal_cents, currency);
    const form = createPaymentForm({
      submitLabel: renewing ? `Renew for ${amount}` : `Pay ${amount}`,
      pay: (card) => (renewing ? names.renew(id, card) : names.pay(id, card)),
      onPaid: () => {
        closePayment();
        onPaid();
      },
      onCancel: closePayment,
    });
    replaceChildren(payment, form);
    payment.hidden = false;
    form.querySelector("input")?.focus();
  });

  const element = h(
    "div",
    { class: "service-name" },
    h("div", { class: "name-head" }, h("span", { class: "muted" }, "Service id"), title, badge),
    h("div", { class: "row" }, status, pay),
    payment,
  );

  return {
    element,
    update: (next) => {
      name = next;
      element.hidden = next === null;
      if (!next) return;
      element.dataset.state = next.state;
      title.textContent = next.name;
      badge.textContent = STATE_LABELS[next.state] ?? next.state;
      badge.className = `pill state-${next.state}`;
      status.textContent = serviceNameText(next);
      pay.hidden = next.state !== "held" && next.state !== "grace";
      pay.textContent =
        next.state === "held"
          ? `Pay ${formatMoney(next.renewal_cents, next.currency)}`
          : `Renew (${formatMoney(next.renewal_cents, next.currency)})`;
      if (pay.hidden) closePayment();
    },
  };
}
