/**
 * How the text a user types maps onto Matrix identifiers. Callsign user IDs are
 * `@<9-digit number>:<server>`; guests are `@guest-…:<server>`.
 */
import { AccountRules } from "../../../protocol/matrix/auth.js";

const NUMBER = AccountRules.numberPattern;
const USER_ID = /^@[^:\s]+:\S+$/;

/** The server name of a user ID: everything after the first colon. */
export function serverName(userId: string): string {
  return userId.slice(userId.indexOf(":") + 1);
}

/** The localpart of a user ID: `@100000001:a.example` → `100000001`. */
export function localpart(userId: string): string {
  const colon = userId.indexOf(":");
  return userId.slice(1, colon < 0 ? undefined : colon);
}

/**
 * The user ID to invite for what was typed in "new chat": a full user ID as is, a 9-digit
 * number on our own server. Returns null when the text is neither.
 */
export function inviteeUserId(input: string, ownUserId: string): string | null {
  const text = input.trim();
  if (NUMBER.test(text)) return `@${text}:${serverName(ownUserId)}`;
  if (USER_ID.test(text)) return text;
  return null;
}
