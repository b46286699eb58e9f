/**
 * The one mapping from whatever a request threw to Matrix's `{errcode, error}` and its status,
 * for every layer that answers requests: protocol errors as they are, body and URL faults as
 * 4xx, a backing service down as 503, anything else a 500 that names the request ID and nothing
 * of the internals (those go to the log).
 */
import type { Logger } from "pino";
import { ProtocolError } from "../../../protocol/errors.js";

/** Where a failure happened, for the log line of a 500 or a 503. */
export interface RequestRef {
  id: string;
  method: string;
  url: string;
}

export function toProtocolError(err: unknown, logger: Logger, at: RequestRef): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (err instanceof URIError) {
    return new ProtocolError("M_INVALID_PARAM", "The URL has invalid percent-encoding");
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === "entity.parse.failed") return new ProtocolError("M_NOT_JSON", "Body is not valid JSON");
  if (e.type === "entity.too.large") return new ProtocolError("M_TOO_LARGE", "Body is too large");
  if (e.type && e.status && e.status < 500) {
    return new ProtocolError("M_BAD_JSON", e.message ?? "Bad request", {}, e.status);
  }
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    return new ProtocolError("M_UNKNOWN", "Bad request", {}, e.status);
  }
  if (isUnavailable(err)) {
    logger.error({ err, id: at.id }, "backing service unavailable");
    return new ProtocolError("IO_CALLSIGN_UNAVAILABLE", "Service temporarily unavailable");
  }
  logger.error({ err, id: at.id, method: at.method, url: at.url }, "unhandled error");
  return new ProtocolError("IO_CALLSIGN_INTERNAL", `Internal error (request ${at.id})`);
}

/** `Retry-After` (seconds) for a rate limit that says how long to wait, else nothing. */
export function retryAfter(err: ProtocolError): number | undefined {
  if (err.errcode !== "M_LIMIT_EXCEEDED" || typeof err.extra.retry_after_ms !== "number") return undefined;
  return Math.ceil(err.extra.retry_after_ms / 1000);
}

function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "ECONNREFUSED" || code === "57P01" || code === "53300" || code === "ETIMEDOUT";
}
