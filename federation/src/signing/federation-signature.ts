/**
 * The one signature a federation request carries (spec/federation.md "Signed requests"), in
 * RFC 9421's terms but for our fixed shape only: its Signature-Input member and signature base
 * are written directly, since the covered components and the parameters never change, and a
 * received one is read strictly — the covered components exactly ours, in our order, the required
 * parameters present and of their types — before any key is looked up for it.
 *
 * What is signed (RFC 9421 section 2.5), one line per component, joined by LF:
 *   "@method": POST
 *   "@target-uri": https://b.example/_callsign/federation/v1/calls
 *   "@authority": b.example
 *   "content-digest": sha-256=:…:
 *   "@signature-params": ("@method" "@target-uri" "@authority" "content-digest");created=…;…
 */
import { parseDictionary } from "./structured-field-parser.js";
import {
  isInnerList,
  MalformedField,
  serializeParams,
  serializeString,
  type Dictionary,
  type Item,
} from "./structured-fields.js";

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
/** Those a receiver requires (`alg`, when present, must be ed25519). */
const REQUIRED_PARAMS = ["created", "expires", "nonce", "keyid", "tag"];

/** A request that is not a provider's: the reason, for the error answer. */
export class SignatureRejected extends Error {}

/** The covered components as an inner list, without parameters: how they are always written. */
const COVERED = `(${COVERED_COMPONENTS.map((c) => `"${c}"`).join(" ")})`;
const FIXED_TAIL = `;alg="ed25519";tag=${serializeString(FEDERATION_TAG)}`;

/** Our Signature-Input member (after `callsign=`), which is also the base's `@signature-params`. */
export function signatureParams(created: number, nonce: string, keyId: string): string {
  const expires = created + REPLAY_WINDOW_S;
  const varying = `;created=${created};expires=${expires};nonce=${serializeString(nonce)}`;
  return `${COVERED}${varying};keyid=${serializeString(keyId)}${FIXED_TAIL}`;
}

/**
 * The signature base (RFC 9421 section 2.5) for our covered components. `contentDigest` is the
 * Content-Digest field's value; `params` the `@signature-params` value, serialised.
 */
export function signatureBase(method: string, url: string, contentDigest: string, params: string): string {
  return (
    `"@method": ${method.toUpperCase()}\n"@target-uri": ${url}\n"@authority": ${authorityOf(url)}\n` +
    `"content-digest": ${contentDigest}\n"@signature-params": ${params}`
  );
}

/** The URI's host in lower case, with its port when it is not the scheme's default (section 2.2.3). */
function authorityOf(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.toLowerCase();
  return port && (protocol === "https:" || protocol === "http:") ? `${host}:${port}` : host;
}

/** What a received federation signature says, read and checked for shape (not yet verified). */
export interface ReceivedSignature {
  keyId: string;
  nonce: string;
  /** Unix seconds; NaN when the parameter is not an Integer. */
  created: number;
  expires: number;
  /** The `@signature-params` line of the base: the member as received, serialised again. */
  params: string;
  signature: Buffer;
}

/**
 * Finds the federation signature among a request's signatures (the one whose `tag` is ours,
 * whatever its label, as RFC 9421 section 7.2.5 advises) and checks its shape; throws
 * SignatureRejected saying what is wrong.
 */
export function readSignature(signatureInput: string, signature: string): ReceivedSignature {
  const ours = readAsWritten(signatureInput, signature);
  if (ours) return ours;
  const inputs = dictionary(signatureInput, "Signature-Input");
  const signatures = dictionary(signature, "Signature");
  // A field with no members is no field.
  if (!inputs.size || !signatures.size) throw new SignatureRejected("the request is not signed");
  let label: string | undefined;
  for (const [name, m] of inputs) {
    if (m.params.get("tag") !== FEDERATION_TAG) continue;
    if (label !== undefined) throw new SignatureRejected("not a federation signature (more than one)");
    label = name;
  }
  if (label === undefined) throw new SignatureRejected("not a federation signature");
  const member = inputs.get(label)!;
  const p = member.params;
  const alg = p.get("alg");
  if (alg !== undefined && alg !== "ed25519") throw new SignatureRejected("unsupported algorithm");
  if (!isInnerList(member)) throw new SignatureRejected("Malformed signature input");
  if (!REQUIRED_PARAMS.every((name) => p.has(name)))
    throw new SignatureRejected("not a federation signature (missing required signature parameters)");
  const coveredProblem = coveredComponentsProblem(member.items);
  if (coveredProblem) throw new SignatureRejected(`not a federation signature (${coveredProblem})`);
  const keyId = p.get("keyid");
  const nonce = p.get("nonce");
  if (typeof keyId !== "string" || !keyId || typeof nonce !== "string")
    throw new SignatureRejected("not a federation signature (keyid and nonce are Strings)");
  const sig = signatures.get(label);
  if (!sig) throw new SignatureRejected("No corresponding signature for input");
  if (isInnerList(sig) || !Buffer.isBuffer(sig.value)) throw new SignatureRejected("Malformed signature");
  return {
    keyId,
    nonce,
    created: seconds(p.get("created")),
    expires: seconds(p.get("expires")),
    params: COVERED + serializeParams(p),
    signature: sig.value,
  };
}

/**
 * Our signature exactly as signRequest writes it — what every Callsign sender sends — read with
 * one match each instead of the general parser; anything else (other spacing, other members,
 * escapes) is read the general way. What this accepts the general way accepts alike: Integers
 * without leading zeros and Strings with nothing to escape are their own serialisation, so the
 * member as it stands is the `@signature-params` value.
 */
function readAsWritten(signatureInput: string, signature: string): ReceivedSignature | undefined {
  const input = AS_WRITTEN.exec(signatureInput);
  const sig = input && AS_WRITTEN_SIGNATURE.exec(signature);
  if (!input || !sig || sig[1] !== input[1]) return undefined;
  const [, , params, created, expires, nonce, keyId] = input;
  return {
    keyId: keyId!,
    nonce: nonce!,
    created: Number(created),
    expires: Number(expires),
    params: params!,
    signature: Buffer.from(sig[2]!, "base64"),
  };
}

const LABEL = "[a-z*][a-z0-9_.*-]*";
const INTEGER = "(0|[1-9][0-9]{0,14})";
const PLAIN_STRING = '"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)"';
const AS_WRITTEN = new RegExp(
  `^(${LABEL})=(${COVERED.replace(/[()]/g, "\\$&")};created=${INTEGER};expires=${INTEGER};` +
    `nonce=${PLAIN_STRING};keyid=${PLAIN_STRING.replace("*", "+")}${FIXED_TAIL})$`,
);
/** An Ed25519 signature: 64 bytes, 88 characters of base64. */
const AS_WRITTEN_SIGNATURE = new RegExp(`^(${LABEL})=:([A-Za-z0-9+/]{86}==):$`);

function dictionary(text: string, field: string): Dictionary {
  try {
    return parseDictionary(text);
  } catch (err) {
    if (err instanceof MalformedField) throw new SignatureRejected(`malformed ${field} (${err.message})`);
    throw err;
  }
}

/** Why the covered components are not exactly ours, in our order, or undefined. */
function coveredComponentsProblem(items: Item[]): string | undefined {
  if (items.length === COVERED_COMPONENTS.length && items.every(isOurComponent)) return undefined;
  const names = items.map((i) => (typeof i.value === "string" && !i.params.size ? i.value : undefined));
  if (!COVERED_COMPONENTS.every((c) => names.includes(c))) return "missing required signed fields";
  return `covers other than exactly ${COVERED}`;
}

function isOurComponent(item: Item, i: number): boolean {
  return item.value === COVERED_COMPONENTS[i] && !item.params.size;
}

function seconds(value: unknown): number {
  return typeof value === "number" ? value : Number.NaN;
}
