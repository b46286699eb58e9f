/** How calls and their parties are put into words on screen. */
import {
  CallState,
  isFinal,
  type CallStateValue,
  type CallView,
  type PartyView,
} from "../../../protocol/callsign/calls.js";

/** A party's name: "Guest" for guests, else the display name, the number or the user ID. */
export function partyName(party: PartyView): string {
  if (party.is_guest) return "Guest";
  return party.display_name || party.number || party.user_id;
}

/** Which side of the call the signed-in user is on. */
export type Role = "caller" | "callee";

export function roleIn(call: CallView, userId: string): Role {
  return call.callee.user_id === userId ? "callee" : "caller";
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
