/**
 * How the text a user types maps onto Matrix identifiers. Callsign user IDs are
 * `@<9-digit number>:<server>`; guests are `@guest-…:<server>`.
 */
import type { UserIdentifier } from "matrix-js-sdk";

/** Callsign's login identifier type for a 9-digit account number. */
export const NUMBER_IDENTIFIER_TYPE = "io.callsign.id.number";

const NUMBER = /^\d{9}$/;

/**
 * The login identifier for the one "e-mail, number or user name" field:
 * `a@b.example` → e-mail, `100000001` → number, anything else → user name or user ID.
 */
export function loginIdentifier(input: string): UserIdentifier {
  const text = input.trim();
  if (text.includes("@") && !text.startsWith("@")) {
    return { type: "m.id.thirdparty", medium: "email", address: text };
  }
  if (NUMBER.test(text)) return { type: NUMBER_IDENTIFIER_TYPE, number: text };
  return { type: "m.id.user", user: text };
}

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
  if (/^@[^:\s]+:\S+$/.test(text)) return text;
  return null;
}
