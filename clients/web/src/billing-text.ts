/** Words of a service's plan and payments: plans, subscription states, invoices and ledger rows. */
import type {
  InvoiceView,
  LedgerEntryView,
  PlanView,
  SubscriptionStateValue,
  SubscriptionView,
} from "../../../protocol/callsign/billing.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { formatMoney, formatWhen } from "./names-text.js";

export const SUBSCRIPTION_LABELS: Record<SubscriptionStateValue, string> = {
  trialing: "Free trial",
  active: "Active",
  past_due: "Past due",
  paused: "Paused",
};

/** "1 operator", "2.5 minutes": a count with its noun, singular for one. */
function amountOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** How long a plan's longest call is: "30 minutes", "2 hours", "3 seconds". */
export function callLengthText(minutes: number): string {
  if (minutes < 1) return amountOf(Math.round(minutes * 60), "second");
  if (minutes % 60 === 0) return amountOf(minutes / 60, "hour");
  return amountOf(minutes, "minute");
}

/**
 * A plan in one line: its price and its limits.
 *
 * @example planText(basic, "en-US") // "€19.00 a month · shared queue · 2 operators online at once · calls up to 30 minutes"
 */
export function planText(plan: PlanView, locale?: string): string {
  const modes = plan.modes.includes("auto") ? "shared or automatic distribution" : "shared queue";
  return [
    `${formatMoney(plan.monthly_cents, plan.currency, locale)} a month`,
    modes,
    `${amountOf(plan.max_operators, "operator")} online at once`,
    `calls up to ${callLengthText(plan.max_call_minutes)}`,
  ].join(" · ");
}

/** The choice of a plan in a list: "team (€49.00)". */
export function planOptionText(plan: PlanView, locale?: string): string {
  return `${plan.plan} (${formatMoney(plan.monthly_cents, plan.currency, locale)})`;
}

/** Where the subscription stands, with the date that matters next. */
export function subscriptionText(sub: SubscriptionView, locale?: string): string {
  const when = (ms: number | null) => formatWhen(ms, locale);
  switch (sub.state) {
    case "trialing":
      return `Free until ${when(sub.trial_end)}.`;
    case "active":
      return `Paid until ${when(sub.period_end)}.`;
    case "past_due":
      return `Unpaid since ${when(sub.period_end ?? sub.trial_end)}.`;
    case "paused":
      return `Unpaid: paused since ${when(sub.pause_at)}.`;
  }
}

/** What the team must know when the service is about to stop, or has stopped, taking calls. */
export function subscriptionWarning(sub: SubscriptionView, locale?: string): string | null {
  if (sub.state === "past_due") {
    return (
      `Payment overdue: the service still takes calls until ${formatWhen(sub.pause_at, locale)}, ` +
      "then it is paused. Pay the next period to keep it running."
    );
  }
  if (sub.state === "paused") {
    return (
      "Paused: callers are told the service is not taking calls because its subscription is unpaid, " +
      "and nobody is rung. Pay the next period to bring it back at once."
    );
  }
  return null;
}

/**
 * When the subscription moves on by itself (the trial ends, the paid period ends, a past-due
 * service is paused), or null when only a payment moves it.
 */
export function nextDeadline(sub: SubscriptionView): number | null {
  if (sub.state === "trialing") return sub.trial_end;
  if (sub.state === "active") return sub.period_end;
  if (sub.state === "past_due") return sub.pause_at;
  return null;
}

export const INVOICE_LABELS: Record<InvoiceView["state"], string> = {
  open: "Open",
  paid: "Paid",
  refunded: "Refunded",
  void: "Void",
};

/** The date column of an invoice: when it was paid (and for how long) or refunded, else created. */
export function invoiceDatesText(invoice: InvoiceView, locale?: string): string {
  const when = (ms: number | null) => formatWhen(ms, locale);
  if (invoice.state === "refunded") return `Refunded ${when(invoice.refunded_at)}`;
  if (invoice.state === "paid")
    return `Paid ${when(invoice.paid_at)}, covers until ${when(invoice.period_end)}`;
  return `Created ${when(invoice.created_at)}`;
}

/** What a ledger row paid for: "Invoice in_…" or "Service id acme". */
export function ledgerPurposeText(entry: LedgerEntryView): string {
  const [kind, ...rest] = entry.purpose.split(":");
  const id = rest.join(":");
  if (kind === "invoice") return `Invoice ${id}`;
  if (kind === "name") return `Name ${id}`;
  return entry.purpose;
}

/** A ledger row's amount, negative for a refund. */
export function ledgerAmountText(entry: LedgerEntryView, locale?: string): string {
  const money = formatMoney(entry.amount_cents, entry.currency, locale);
  return entry.kind === "refund" ? `−${money}` : money;
}

/**
 * The error to show for a refusal by the plan (IO_CALLSIGN_PLAN_LIMIT): the server's words and
 * what to do about it. Other errors are returned as they are.
 */
export function planLimitError(error: unknown, remedy: string): unknown {
  if (!(error instanceof ProtocolError) || error.errcode !== "IO_CALLSIGN_PLAN_LIMIT") return error;
  return new ProtocolError(error.errcode, `${error.message}. ${remedy}`, error.extra, error.status);
}
