/**
 * Signed server-server requests (spec/federation.md "Signed requests"): HTTP Message Signatures
 * (RFC 9421) over the method, the target URI, the authority and the Content-Digest (RFC 9530) of
 * the body, with `created`, `expires`, a `nonce`, the signing key's `keyid`, `alg="ed25519"` and
 * our `tag`. A receiver refuses a request that is unsigned, signed by an unknown key, over other
 * components, outside the replay window, with a nonce it saw before, or whose body does not
 * match its digest.
 *
 * Every federation request is signed once and verified once, so this is a hot path: the fields
 * are written and read by our own code for our one fixed shape (federation-signature.ts), which
 * leaves the Ed25519 operations nearly all of the cost. `http-message-signatures`, a generic
 * implementation, checks in the tests that what we send is what RFC 9421 says.
 */
import { randomBytes, sign, verify, type KeyObject } from "node:crypto";
import { contentDigest, contentDigestProblem } from "./content-digest.js";
import {
  readSignature,
  REPLAY_WINDOW_S,
  SIGNATURE_NAME,
  SignatureRejected,
  signatureBase,
  signatureParams,
} from "./federation-signature.js";

export {
  COVERED_COMPONENTS,
  FEDERATION_TAG,
  REPLAY_WINDOW_S,
  SIGNATURE_NAME,
  SIGNATURE_PARAMS,
  SignatureRejected,
} from "./federation-signature.js";

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/**
 * The request's headers with Content-Digest, Signature and Signature-Input added, names in lower
 * case (as HTTP/2 sends them and as receivers read them).
 */
export async function signRequest(
  req: OutgoingRequest,
  key: SigningKey,
  now = Date.now(),
  nonce = newNonce(),
): Promise<Record<string, string>> {
  const digest = contentDigest(req.body);
  const params = signatureParams(Math.floor(now / 1000), nonce, key.keyId);
  const base = signatureBase(req.method, req.url, digest, params);
  const signature = sign(null, Buffer.from(base), key.privateKey).toString("base64");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = String(value);
  headers["content-digest"] = digest;
  headers["signature"] = `${SIGNATURE_NAME}=:${signature}:`;
  headers["signature-input"] = `${SIGNATURE_NAME}=${params}`;
  return headers;
}

export interface IncomingRequest {
  method: string;
  /** The URL as the sender addressed it: our public base URL and the request's path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface VerifyOptions {
  /** The public key a `keyid` names (a peer's current or overlapping key), or undefined. */
  keyFor: (keyId: string) => Promise<KeyObject | undefined>;
  /** Records a nonce for its signer until `until`; false when it was seen before (a replay). */
  firstUse: (keyId: string, nonce: string, until: Date) => Promise<boolean>;
  /** The receiver's clock, ms since the epoch, for `created` and `expires`; default Date.now(). */
  now?: number;
}

/**
 * Verifies a request's signature; answers the key that signed it, or throws SignatureRejected.
 * What `keyFor` and `firstUse` throw is passed on.
 */
export async function verifyRequest(req: IncomingRequest, opts: VerifyOptions): Promise<{ keyId: string }> {
  const now = opts.now ?? Date.now();
  const signatureInput = joined(req.headers["signature-input"]);
  const signature = joined(req.headers["signature"]);
  if (!signature || !signatureInput) throw new SignatureRejected("the request is not signed");
  const digest = req.headers["content-digest"];
  const digestProblem = contentDigestProblem(joined(digest), req.body);
  if (digestProblem) throw new SignatureRejected(digestProblem);

  const received = readSignature(signatureInput, signature);
  const publicKey = await opts.keyFor(received.keyId);
  if (!publicKey) throw new SignatureRejected(`unknown key ${received.keyId}`);
  if (publicKey.asymmetricKeyType !== "ed25519")
    throw new SignatureRejected(`unknown key ${received.keyId} (not an Ed25519 key)`);
  const base = signatureBase(req.method, req.url, fieldValue(digest!), received.params);
  if (!verify(null, Buffer.from(base), publicKey, received.signature))
    throw new SignatureRejected("the signature does not verify");

  const created = received.created * 1000;
  // Written so that a NaN (a time that is not an Integer) refuses too.
  if (!(Math.abs(now - created) <= REPLAY_WINDOW_S * 1000 && now <= received.expires * 1000))
    throw new SignatureRejected("outside the replay window");
  const until = new Date(created + 2 * REPLAY_WINDOW_S * 1000);
  if (!(await opts.firstUse(received.keyId, received.nonce, until)))
    throw new SignatureRejected("a replayed request (nonce seen before)");
  return { keyId: received.keyId };
}

/** A header as one value: repeated lines joined as HTTP joins them. */
function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A field's value as a component of the base (RFC 9421 section 2.1): each line trimmed, folds undone. */
function fieldValue(value: string | string[]): string {
  const lines = Array.isArray(value) ? value : [value];
  return lines.map((line) => line.trim().replace(/\n\s*/g, " ")).join(", ");
}

/**
 * 128 random bits, base64url. randomBytes costs about 2 µs a call, as much as all the rest of
 * signing but the Ed25519 operation, so it is drawn 256 nonces at a time (Node pools the entropy
 * of randomUUID for the same reason); each nonce still has its own 16 fresh bytes. The pool is
 * module state, but only entropy: nothing of a request, a key or the configuration.
 */
function newNonce(): string {
  if (noncePool.offset === noncePool.bytes.length) noncePool = { bytes: randomBytes(16 * 256), offset: 0 };
  noncePool.offset += 16;
  return noncePool.bytes.toString("base64url", noncePool.offset - 16, noncePool.offset);
}
let noncePool = { bytes: Buffer.alloc(0), offset: 0 };
