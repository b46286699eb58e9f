/**
 * Signed server-server requests (spec/federation.md "Signed requests"): HTTP Message Signatures
 * (RFC 9421, through the kept `http-message-signatures` implementation) over the method, the
 * target URI, the authority and the Content-Digest (RFC 9530) of the body, with `created`,
 * `expires`, a `nonce`, the signing key's `keyid`, `alg="ed25519"` and our `tag`. A receiver
 * refuses a request that is unsigned, signed by an unknown key, over other components, outside
 * the replay window, with a nonce it saw before, or whose body does not match its digest.
 */
import { randomBytes, type KeyObject } from "node:crypto";
import { createSigner, createVerifier, httpbis, UnacceptableSignatureError } from "http-message-signatures";
import { contentDigest, contentDigestProblem } from "./content-digest.js";

/** The `tag` of every federation signature: a signature made for something else never counts. */
export const FEDERATION_TAG = "callsign-federation";
/** What every federation request's signature covers. */
export const COVERED_COMPONENTS = ["@method", "@target-uri", "@authority", "content-digest"];
/** How old (or how far in the future) a signature may be, in seconds. */
export const REPLAY_WINDOW_S = 300;
/** The label of the federation signature in Signature-Input and Signature. */
export const SIGNATURE_NAME = "callsign";
/** The signature parameters, in the order they are sent. */
export const SIGNATURE_PARAMS = ["created", "expires", "nonce", "keyid", "alg", "tag"];

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

/** Adds Content-Digest, Signature-Input and Signature to the request's headers. */
export async function signRequest(
  req: OutgoingRequest,
  key: SigningKey,
  now = Date.now(),
  nonce = randomBytes(16).toString("base64url"),
): Promise<Record<string, string>> {
  const headers = { ...req.headers, "content-digest": contentDigest(req.body) };
  const created = new Date(Math.floor(now / 1000) * 1000);
  const signed = await httpbis.signMessage(
    {
      key: createSigner(key.privateKey, "ed25519", key.keyId),
      name: SIGNATURE_NAME,
      fields: COVERED_COMPONENTS,
      params: SIGNATURE_PARAMS,
      paramValues: {
        created,
        expires: new Date(created.getTime() + REPLAY_WINDOW_S * 1000),
        nonce,
        tag: FEDERATION_TAG,
      },
    },
    { method: req.method, url: req.url, headers },
  );
  // Header names in lower case, as HTTP/2 sends them and as receivers read them.
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** A request that is not a provider's: the reason, for the error answer. */
export class SignatureRejected extends Error {}

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

/** Verifies a request's signature; answers the key that signed it, or throws SignatureRejected. */
export async function verifyRequest(req: IncomingRequest, opts: VerifyOptions): Promise<{ keyId: string }> {
  const now = opts.now ?? Date.now();
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
  };
  if (!header("signature") || !header("signature-input"))
    throw new SignatureRejected("the request is not signed");
  const digestProblem = contentDigestProblem(header("content-digest"), req.body);
  if (digestProblem) throw new SignatureRejected(digestProblem);

  let params: { keyid?: string; nonce?: string; tag?: string; created?: unknown; expires?: unknown } = {};
  let problem = "";
  const valid = await httpbis
    .verifyMessage(
      {
        requiredFields: COVERED_COMPONENTS,
        requiredParams: ["created", "expires", "nonce", "keyid", "tag"],
        // The library checks `created` and `expires` against the real clock only (it takes no
        // clock), so a verifier given another `now` (a fixture, a test) would be judged by the
        // wrong one; an infinite tolerance switches its checks off, and ours below use `now`.
        tolerance: Number.POSITIVE_INFINITY,
        keyLookup: async (p) => {
          params = p as typeof params;
          if (p.tag !== FEDERATION_TAG) return ((problem = "not a federation signature"), null);
          if (p.alg !== undefined && p.alg !== "ed25519") return ((problem = "unsupported algorithm"), null);
          const publicKey = p.keyid ? await opts.keyFor(p.keyid) : undefined;
          if (!publicKey) return ((problem = `unknown key ${p.keyid ?? "(none)"}`), null);
          return { id: p.keyid, algs: ["ed25519"], verify: createVerifier(publicKey, "ed25519") };
        },
      },
      { method: req.method, url: req.url, headers: stringHeaders(req.headers) },
    )
    .catch((err: Error) => {
      // A covered component or a required parameter missing: the spec's "not a federation signature".
      if (err instanceof UnacceptableSignatureError)
        problem ||= `not a federation signature (${err.message.toLowerCase()})`;
      problem ||= err.message;
      return false;
    });
  if (!valid) throw new SignatureRejected(problem || "the signature does not verify");
  const created = secondsParam(params.created) * 1000;
  const expires = secondsParam(params.expires) * 1000;
  // Written so that a NaN (a parameter that is not a number) refuses too.
  if (!(Math.abs(now - created) <= REPLAY_WINDOW_S * 1000 && now <= expires))
    throw new SignatureRejected("outside the replay window");
  if (!(await opts.firstUse(params.keyid!, params.nonce!, new Date(created + 2 * REPLAY_WINDOW_S * 1000)))) {
    throw new SignatureRejected("a replayed request (nonce seen before)");
  }
  return { keyId: params.keyid! };
}

/** A time parameter in seconds: the library hands `created` over as a Date, `expires` as a number. */
function secondsParam(value: unknown): number {
  if (value instanceof Date) return value.getTime() / 1000;
  return typeof value === "number" ? value : Number.NaN;
}

function stringHeaders(headers: IncomingRequest["headers"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}
