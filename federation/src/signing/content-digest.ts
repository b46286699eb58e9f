/**
 * Content-Digest (RFC 9530): the digest of a message's content, as a structured-field
 * dictionary `sha-256=:<base64>:`. We send SHA-256; we accept SHA-256 and SHA-512, and every
 * algorithm we know that the header names must match (unknown ones are ignored, as the RFC says).
 * The digest is computed here, over the exact bytes sent or received.
 */
import { hash } from "node:crypto";
import { parseDictionary } from "./structured-field-parser.js";
import { isInnerList, MalformedField, type Dictionary } from "./structured-fields.js";

const ALGORITHMS = { "sha-256": "sha256", "sha-512": "sha512" } as const;
export type DigestAlgorithm = keyof typeof ALGORITHMS;

export function contentDigest(body: Buffer | string, alg: DigestAlgorithm = "sha-256"): string {
  return `${alg}=:${hash(ALGORITHMS[alg], body, "base64")}:`;
}

/** Why the header does not vouch for `body`, or undefined when it does. */
export function contentDigestProblem(header: string | undefined, body: Buffer): string | undefined {
  if (!header) return "no Content-Digest";
  // As contentDigest writes it (every Callsign sender), compared as text; anything else is read the
  // general way, which also judges a mismatch here (base64 can spell the same bytes in two ways).
  if (header === contentDigest(body)) return undefined;
  let dict: Dictionary;
  try {
    dict = parseDictionary(header);
  } catch (err) {
    if (err instanceof MalformedField) return "malformed Content-Digest";
    throw err;
  }
  let checked = 0;
  for (const [alg, member] of dict) {
    // Own keys only: `constructor=:…:` is a well-formed member of an algorithm we do not know.
    if (!Object.hasOwn(ALGORITHMS, alg)) continue;
    if (isInnerList(member) || !Buffer.isBuffer(member.value)) return `malformed ${alg} digest`;
    // Compared as base64: a one-shot hash to text costs a third of one to a Buffer.
    const expected = hash(ALGORITHMS[alg as DigestAlgorithm], body, "base64");
    if (member.value.toString("base64") !== expected) return `${alg} digest does not match the content`;
    checked += 1;
  }
  return checked ? undefined : "no supported digest algorithm (sha-256, sha-512)";
}
