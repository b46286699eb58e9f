/** How calls and their parties are put into words on screen. */
import {
  CallState,
  isFinal,
  type CallStateValue,
  type CallView,
  type HandleView,
  type PartyView,
} from "../../../protocol/callsign/calls.js";
import { ProtocolError, type ErrorCode } from "../../../protocol/errors.js";

/** A party's name: "Guest" for guests, else the display name, the number or the user ID. */
export function partyName(party: PartyView): string {
  if (party.is_guest) return "Guest";
  return party.display_name || party.number || party.user_id;
}

/** Whether a callee takes calls now, as a handle view tells it. */
export type CalleeState = "online" | "offline" | "closed" | "paused";

/**
 * Where the callee a handle names stands now, in words: a service paused for an unpaid
 * subscription refuses calls; one outside its operating hours is closed (a caller may leave an
 * SMS, as with nobody online).
 *
 * @example calleeStatus({ ...view, open: false }).text // "Closed now: you can leave a message"
 */
export function calleeStatus(handle: HandleView): { state: CalleeState; text: string } {
  if (handle.paused) return { state: "paused", text: "Not taking calls (unpaid)" };
  if (!handle.open) return { state: "closed", text: "Closed now: you can leave a message" };
  if (handle.online) return { state: "online", text: "Online" };
  return { state: "offline", text: "Not online: you can leave a message" };
}

/** Which side of the call the signed-in user is on. */
export type Role = "caller" | "callee";

/** An operator who answers for a service is on the callee's side, as is the callee. */
export function roleIn(call: CallView, userId: string): Role {
  return call.callee.user_id === userId || call.operator?.user_id === userId ? "callee" : "caller";
}

/** The service a call was placed to (or now waits at), or null for a call to a person. */
export function serviceOf(call: CallView): PartyView | null {
  return call.callee.is_service ? call.callee : null;
}

/** The other side of the call, seen from `role`. */
export function otherParty(call: CallView, role: Role): PartyView {
  return role === "caller" ? call.callee : call.caller;
}

/**
 * Orders states so that an event that arrives late never takes a call back: waiting, then
 * answered, then any final state.
 */
export function stateRank(state: CallStateValue): number {
  if (isFinal(state)) return 2;
  return state === CallState.Answered ? 1 : 0;
}

/** The sentence shown for a call that has finished. */
export function finalMessage(call: CallView, role: Role): string {
  const other = partyName(otherParty(call, role));
  switch (call.state) {
    case CallState.Replied:
      return role === "caller" ? `${other} replied:` : `You replied to ${other}.`;
    case CallState.Declined:
      return role === "caller" ? `${other} declined the call.` : `You declined the call from ${other}.`;
    case CallState.Cancelled:
      return role === "caller" ? "You cancelled the call." : `${other} cancelled the call.`;
    case CallState.Missed:
      return role === "caller"
        ? `${other} did not answer; the call is recorded as a missed call.`
        : `You missed a call from ${other}.`;
    case CallState.LeftSms:
      return role === "caller"
        ? `Your message was left for ${other}. They will see it when they are back.`
        : `${other} left you a message.`;
    case CallState.Ended:
      return "The call has ended.";
    default:
      return "";
  }
}

/** Clearer words for what an operator meets when taking or answering a service's call. */
const OPERATOR_ERRORS: Partial<Record<ErrorCode, (service: string) => string>> = {
  IO_CALLSIGN_ALREADY_TAKEN: () => "Another operator took this call first; it has left your queue.",
  IO_CALLSIGN_NOT_ONLINE: (service) =>
    `You are offline for ${service}: switch it Online under Services to answer its calls.`,
};

/**
 * The error to show for a failed take, reply, decline or transfer of `call`: the same errcode,
 * with words that tell an operator what happened and what to do.
 *
 * @example describeError(operatorError(e, call)) // "IO_CALLSIGN_ALREADY_TAKEN: Another operator took…"
 */
export function operatorError(error: unknown, call: CallView): unknown {
  if (!(error instanceof ProtocolError)) return error;
  const words = OPERATOR_ERRORS[error.errcode];
  const service = serviceOf(call);
  const message = words?.(service ? partyName(service) : "this service");
  return message ? new ProtocolError(error.errcode, message, error.extra, error.status) : error;
}
