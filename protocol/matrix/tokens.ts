import { ProtocolError } from "../errors.js";

/**
 * Sync and pagination tokens are opaque to clients. Callsign's form is `s<position>`: a point in
 * the server's one stream of events, to-device messages, account data and receipts.
 */
export function streamToken(pos: number): string {
  return `s${pos}`;
}

/** Parses a token; a malformed one is the client's error (400 M_INVALID_PARAM), never a 500. */
export function parseStreamToken(token: string, what = "token"): number {
  const m = /^s(\d{1,15})$/.exec(token);
  if (!m)
    throw new ProtocolError("M_INVALID_PARAM", `Invalid ${what}: ${JSON.stringify(token.slice(0, 40))}`);
  return Number(m[1]);
}
