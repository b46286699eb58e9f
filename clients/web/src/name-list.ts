/**
 * "My names": each held, active or in-grace name with its state and dates, a payment form for a
 * held name or a renewal, a warning in grace, the notice of a verified domain owner's claim, the
 * audit history, and giving the name up (asked twice).
 */
import type { NameView } from "../../../protocol/callsign/names.js";
import type { NamesApi } from "../../sdk/src/index.js";
import { busy, h, keyedList, replaceChildren, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { brandReasonText, formatMoney, formatWhen } from "./names-text.js";
import { createPaymentForm } from "./payment-form.js";

export interface NameList {
  element: HTMLElement;
  /** Reads the names again; opens the payment form of `payFor` (a name just reserved) if it is held. */
  refresh: (payFor?: string) => void;
  /** The amount due for a name just reserved (its quote's total, release premium included). */
  setDue: (name: string, cents: number) => void;
}

export interface NameListOptions {
  api: NamesApi;
  errors: ErrorLine;
  /** The names were read or changed. */
  onNames: (names: NameView[]) => void;
}

/** The payment source of a renewal that costs nothing. */
const FREE_SOURCE = "free";

const STATE_LABELS: Record<string, string> = {
  held: "Awaiting payment",
  active: "Active",
  grace: "In grace",
  released: "Released",
};

export function createNameList(options: NameListOptions): NameList {
  const { api, errors } = options;
  const list = h("ul", { class: "names-list", testid: "my-names" });
  const items = new Map<string, NameItem>();
  /**
   * What held names cost, by name, from their quotes: `NameView.renewal_cents` leaves out the
   * release premium that the first payment of a released name includes.
   */
  const due = new Map<string, number>();
  const render = keyedList(
    list,
    (view: NameView) => view.name,
    (view) => {
      const item = nameItem(
        view,
        options,
        (v) => (v.state === "held" ? due.get(v.name) : undefined) ?? v.renewal_cents,
        () => refresh(),
      );
      items.set(view.name, item);
      return item;
    },
    () => h("li", { class: "empty", testid: "my-names-empty" }, "You hold no names yet."),
  );

  const refresh = (payFor?: string) => {
    api.names().then(
      ({ names }) => {
        for (const name of items.keys()) if (!names.some((n) => n.name === name)) items.delete(name);
        render(names);
        list.dataset.loaded = "true";
        if (payFor) items.get(payFor)?.openPayment();
        options.onNames(names);
      },
      (error: unknown) => errors.show(error),
    );
  };

  return {
    element: h("section", { class: "card", testid: "my-names-section" }, h("h2", {}, "My names"), list),
    refresh,
    setDue: (name, cents) => due.set(name, cents),
  };
}

interface NameItem extends ListItem<NameView> {
  openPayment: () => void;
}

function nameItem(
  first: NameView,
  options: NameListOptions,
  amountOf: (view: NameView) => number,
  refresh: () => void,
): NameItem {
  const { api, errors } = options;
  let view = first;
  const name = first.name;
  const badge = h("span", { class: "pill", testid: "name-state" });
  const details = h("div", { class: "name-details" });
  const actions = h("div", { class: "row" });
  const payment = h("div", { class: "payment", hidden: true });
  const events = h("ol", { class: "events", testid: "name-events" });

  const closePayment = () => {
    replaceChildren(payment);
    payment.hidden = true;
  };
  const openPayment = () => {
    if (view.state === "released" || view.claimed_by_domain) return;
    if (amountOf(view) === 0 && view.state !== "held") {
      // Nothing to charge: renew at once (the API still wants a payment source).
      void busy(pay, errors, () => api.renew(name, FREE_SOURCE)).then((done) => done && refresh());
      return;
    }
    const amount = formatMoney(amountOf(view), view.currency);
    const renewing = view.state !== "held";
    const form = createPaymentForm({
      submitLabel: renewing ? `Renew for ${amount}` : `Pay ${amount}`,
      pay: (card) => (renewing ? api.renew(name, card) : api.pay(name, card)),
      onPaid: () => {
        closePayment();
        refresh();
      },
      onCancel: closePayment,
    });
    replaceChildren(payment, form);
    payment.hidden = false;
    form.querySelector("input")?.focus();
  };

  const pay = h("button", { type: "button", class: "primary small", testid: "name-pay" });
  pay.addEventListener("click", openPayment);
  const release = h("button", { type: "button", class: "small", testid: "name-release" }, "Give up");
  const confirm = h(
    "button",
    { type: "button", class: "danger small", hidden: true, testid: "name-release-confirm" },
    `Give up ${name} for good`,
  );
  const keep = h(
    "button",
    { type: "button", class: "small", hidden: true, testid: "name-release-cancel" },
    "Keep it",
  );
  const asking = (ask: boolean) => {
    release.hidden = ask;
    confirm.hidden = !ask;
    keep.hidden = !ask;
  };
  release.addEventListener("click", () => asking(true));
  keep.addEventListener("click", () => asking(false));
  confirm.addEventListener("click", () => {
    void busy(confirm, errors, () => api.release(name)).then(() => {
      asking(false);
      refresh();
    });
  });
  replaceChildren(actions, pay, release, confirm, keep);

  const element = h(
    "li",
    { class: "name-item", "data-name": name, testid: "name-item" },
    h(
      "div",
      { class: "name-head" },
      h("strong", { class: "name-title", testid: "name-item-name" }, name),
      h(
        "span",
        { class: "muted", testid: "name-kind-label" },
        first.kind === "user" ? "user name" : "service id",
      ),
      badge,
    ),
    details,
    actions,
    payment,
    h("details", { class: "history" }, h("summary", {}, "History"), events),
  );

  const update = (next: NameView) => {
    view = next;
    element.dataset.state = next.state;
    badge.textContent = STATE_LABELS[next.state] ?? next.state;
    badge.className = `pill state-${next.state}`;
    const amount = formatMoney(amountOf(next), next.currency);
    replaceChildren(details, ...detailLines(next, amount));
    const payable = next.state !== "released" && !next.claimed_by_domain;
    pay.hidden = !payable;
    // Paying is urgent while held or in grace; an active name's renewal can wait.
    pay.className = next.state === "active" ? "small" : "primary small";
    pay.textContent =
      next.state === "held" ? `Pay ${amount}` : amountOf(next) === 0 ? "Renew (free)" : `Renew (${amount})`;
    if (!payable) closePayment();
    replaceChildren(
      events,
      ...[...next.events]
        .reverse()
        .map((e) =>
          h(
            "li",
            {},
            h("span", { class: "muted" }, formatWhen(e.at)),
            ` ${e.from ?? "—"} → ${e.to}: ${e.reason} (${e.actor})`,
          ),
        ),
    );
  };
  update(first);
  return { element, update, openPayment };
}

function detailLines(view: NameView, amount: string): HTMLElement[] {
  const lines: HTMLElement[] = [];
  if (view.state === "held") {
    lines.push(
      h(
        "p",
        { testid: "name-status" },
        `Held for you until ${formatWhen(view.held_until)}: pay ${amount} to keep it.`,
      ),
    );
  }
  if (view.state === "active") {
    lines.push(h("p", { testid: "name-status" }, `Paid until ${formatWhen(view.paid_until)}`));
  }
  if (view.state === "grace") {
    lines.push(
      h(
        "p",
        { class: "warning", testid: "name-grace" },
        `In grace until ${formatWhen(view.grace_until)}: renew now or lose it.`,
      ),
    );
  }
  if (view.claimed_by_domain) {
    const until = view.state === "held" ? view.held_until : view.paid_until;
    lines.push(
      h(
        "p",
        { class: "warning", testid: "name-claimed" },
        `The verified owner of ${view.claimed_by_domain} has claimed this name: it stays yours until ` +
          `${formatWhen(until)} and cannot be renewed.`,
      ),
    );
  }
  if (view.is_brand) {
    lines.push(
      h(
        "p",
        { class: "muted", testid: "name-brand" },
        `Brand name: ${view.brand_reasons.map(brandReasonText).join(", ")}`,
      ),
    );
  }
  return lines;
}
