/**
 * What a client hears when a peer provider refuses or fails (spec/federation.md "Errors"):
 * a refusal about the caller's own request — a topic required, calls off, a captcha, an
 * unknown handle — keeps its error code, its message (shortened) and the few fields a client
 * acts on, so a remote callee behaves like a local one; anything else (a peer's failure, a
 * refusal of our own request, an unknown code) becomes IO_CALLSIGN_PEER_FAILED. The peer's
 * answer is never passed on as it came.
 */
import { ErrorCodes, ProtocolError, type ErrorCode } from "../../../protocol/errors.js";

/** Codes that describe our provider's request to the peer, not the user's: never passed on. */
const OURS = new Set<string>([
  "M_UNKNOWN_TOKEN",
  "M_MISSING_TOKEN",
  "M_UNRECOGNIZED",
  "M_LIMIT_EXCEEDED",
  "M_BAD_JSON",
  "M_NOT_JSON",
  "M_TOO_LARGE",
  "M_UNKNOWN",
  "IO_CALLSIGN_FEDERATION_UNAUTHORIZED",
  "IO_CALLSIGN_PEER_FAILED",
  "IO_CALLSIGN_PEER_BLOCKED",
  "IO_CALLSIGN_INTERNAL",
]);

/** Fields of a peer's refusal that a client needs to go on (the captcha challenge, the call it meant). */
const KEPT_FIELDS = ["captcha", "call_id", "state"] as const;

const MESSAGE_MAX = 300;

export function peerError(provider: string, status: number, text: string): ProtocolError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    /* not JSON: the peer's own failure */
  }
  const errcode = typeof body.errcode === "string" ? body.errcode : undefined;
  const known = errcode !== undefined && Object.hasOwn(ErrorCodes, errcode) && !OURS.has(errcode);
  if (known && status >= 400 && status < 500 && ErrorCodes[errcode as ErrorCode].status === status) {
    const message = typeof body.error === "string" ? body.error.slice(0, MESSAGE_MAX) : errcode;
    const extra: Record<string, unknown> = { provider };
    for (const f of KEPT_FIELDS) if (body[f] !== undefined) extra[f] = body[f];
    return new ProtocolError(errcode as ErrorCode, message, extra);
  }
  return new ProtocolError("IO_CALLSIGN_PEER_FAILED", `${provider} answered ${status}`, {
    provider,
    status,
    ...(errcode && { peer_errcode: errcode }),
  });
}
