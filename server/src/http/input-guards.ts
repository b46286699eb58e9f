/**
 * Checks every request gets before its handler: path parameters are well-formed identifiers
 * (no NUL, bounded length, the right sigil), and JSON bodies are plain objects that PostgreSQL
 * can store (no NUL in strings, bounded nesting). Each failure is a 400 in Matrix's shape.
 */
import { ProtocolError } from "../../../protocol/errors.js";

const MAX_PARAM_LENGTH = 1024;
const MAX_DEPTH = 64;

/** Sigils of Matrix identifiers, by the path parameter names our routes use. */
const ID_PATTERNS: Record<string, RegExp> = {
  roomId: /^![^:\s]+:\S+$/,
  userId: /^@[^:\s]+:\S+$/,
  eventId: /^\$\S+$/,
  roomIdOrAlias: /^[!#][^:\s]+:\S+$/,
};

export function checkParams(params: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (value.length > MAX_PARAM_LENGTH) {
      throw new ProtocolError("M_INVALID_PARAM", `Path parameter ${name} is too long`);
    }
    if (value.includes("\u0000"))
      throw new ProtocolError("M_INVALID_PARAM", `Path parameter ${name} contains NUL`);
    const pattern = ID_PATTERNS[name];
    if (pattern && !pattern.test(value)) {
      throw new ProtocolError("M_INVALID_PARAM", `Path parameter ${name} is not a valid identifier`);
    }
  }
}

function walk(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new ProtocolError("M_BAD_JSON", `JSON is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === "string") {
    if (value.includes("\u0000")) throw new ProtocolError("M_BAD_JSON", "JSON strings may not contain NUL");
  } else if (Array.isArray(value)) {
    for (const v of value) walk(v, depth + 1);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      walk(k, depth);
      walk(v, depth + 1);
    }
  }
}

/**
 * The body a handler sees: `{}` when none was sent; otherwise a plain JSON object that passes
 * the storage checks. Anything else (an array, a string, `null`) is `M_NOT_JSON`.
 */
export function checkBody(method: string, body: unknown): unknown {
  if (method === "GET" || method === "DELETE" || body === undefined) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ProtocolError("M_NOT_JSON", "The request body must be a JSON object");
  }
  walk(body, 0);
  return body;
}
