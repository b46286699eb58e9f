/**
 * Content-Digest (RFC 9530): the digest of a message's content, as a structured-field
 * dictionary `sha-256=:<base64>:`. We send SHA-256; we accept SHA-256 and SHA-512, and every
 * algorithm we know that the header names must match (unknown ones are ignored, as the RFC says).
 * The digest is computed here, over the exact bytes sent or received.
 */
import { createHash } from "node:crypto";
import { parseDictionary } from "structured-headers";

const ALGORITHMS = { "sha-256": "sha256", "sha-512": "sha512" } as const;
export type DigestAlgorithm = keyof typeof ALGORITHMS;

export function contentDigest(body: Buffer | string, alg: DigestAlgorithm = "sha-256"): string {
  return `${alg}=:${createHash(ALGORITHMS[alg]).update(body).digest("base64")}:`;
}

/** Why the header does not vouch for `body`, or undefined when it does. */
export function contentDigestProblem(header: string | undefined, body: Buffer): string | undefined {
  if (!header) return "no Content-Digest";
  let dict;
  try {
    dict = parseDictionary(header);
  } catch {
    return "malformed Content-Digest";
  }
  let checked = 0;
  for (const [alg, [value]] of dict) {
    if (!(alg in ALGORITHMS)) continue;
    if (!(value instanceof ArrayBuffer)) return `malformed ${alg} digest`;
    const expected = createHash(ALGORITHMS[alg as DigestAlgorithm])
      .update(body)
      .digest();
    if (!expected.equals(Buffer.from(value))) return `${alg} digest does not match the content`;
    checked += 1;
  }
  return checked ? undefined : "no supported digest algorithm (sha-256, sha-512)";
}
