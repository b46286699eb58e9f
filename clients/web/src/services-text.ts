/**
 * Words of the Services pane: counts, roles, operator states, a service id's name state and the
 * state of an offer to transfer a service.
 */
import type { CustomerRoleValue } from "../../../protocol/callsign/customers.js";
import type { NameView } from "../../../protocol/callsign/names.js";
import type { OperatorView, ServiceTransferView } from "../../../protocol/callsign/services.js";
import { formatMoney, formatWhen } from "./names-text.js";

/**
 * "1 call", "3 calls", "no calls".
 *
 * @example countText(2, "operator") // "2 operators"
 */
export function countText(n: number, noun: string): string {
  if (n === 0) return `no ${noun}s`;
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}

/** "No operators yet", "1 of 2 operators online". */
export function operatorsOnlineText(online: number, total: number): string {
  if (total === 0) return "No operators yet";
  return `${online} of ${countText(total, "operator")} online`;
}

/** "1 operator online · no calls waiting", with a capital first letter. */
export function operatedCountsText(online: number, queued: number): string {
  const text = `${countText(online, "operator")} online · ${countText(queued, "call")} waiting`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function roleText(role: CustomerRoleValue): string {
  return role === "owner" ? "Owner" : "Manager";
}

/** "Invited", "Active, online", "Active". */
export function operatorStateText(operator: OperatorView): string {
  if (operator.status === "invited") return "Invited";
  return operator.online ? "Online" : "Active";
}

/** The line under a service id: what state its name is in, and what is due while it is held. */
export function serviceNameText(name: NameView): string {
  switch (name.state) {
    case "held":
      return (
        `Held until ${formatWhen(name.held_until)}: pay ${formatMoney(name.renewal_cents, name.currency)} ` +
        "and callers can dial it."
      );
    case "active":
      return `Paid until ${formatWhen(name.paid_until)}.`;
    case "grace":
      return `In grace until ${formatWhen(name.grace_until)}: renew it now or lose it.`;
    default:
      return "Released: the service answers to its number only.";
  }
}

/** An offer's state as shown: an open offer past its expiry is "expired" (it can no longer be accepted). */
export type OfferState = ServiceTransferView["state"] | "expired";

export function offerState(offer: ServiceTransferView, now = Date.now()): OfferState {
  return offer.state === "offered" && offer.expires_at <= now ? "expired" : offer.state;
}

export const OFFER_LABELS: Record<OfferState, string> = {
  offered: "Open",
  accepted: "Accepted",
  declined: "Declined",
  cancelled: "Cancelled",
  expired: "Expired",
};

/** "Offered 3 Mar 2026, 10:00 · open until 10 Mar 2026, 10:00", or when it was decided. */
export function offerDatesText(offer: ServiceTransferView, now = Date.now(), locale?: string): string {
  const offered = `Offered ${formatWhen(offer.offered_at, locale)}`;
  const state = offerState(offer, now);
  if (state === "offered") return `${offered} · open until ${formatWhen(offer.expires_at, locale)}`;
  if (state === "expired") return `${offered} · expired ${formatWhen(offer.expires_at, locale)}`;
  return `${offered} · ${OFFER_LABELS[state].toLowerCase()} ${formatWhen(offer.decided_at, locale)}`;
}
