/**
 * The cases of the signed-request fixtures (spec/fixtures/federation/requests/, made by
 * scripts/spec/federation-fixtures.ts): one request each, how it is signed, what happens to it
 * on the way, and what the receiver must answer. Each bad case breaks exactly one rule of
 * spec/federation.md "Signed requests", so its refusal reason is unambiguous.
 */
import type { DigestAlgorithm } from "../../federation/src/signing/content-digest.js";
import { COVERED_COMPONENTS } from "../../federation/src/signing/request-signature.js";
import { FederationApiRoutes, FederationPrefix } from "../../protocol/federation/routes.js";

export const SENDER = "a.example";
export const RECEIVER = "b.example";
const THIRD = "c.example";
/**
 * The receiver's clock in every case, 2026-07-01T12:00:00Z: a fixed instant, away from the
 * real clock, so a verifier that reads its own clock instead of the one it is given fails.
 */
export const NOW = Date.UTC(2026, 6, 1, 12) / 1000;

/** The "why" column of the refusal table in spec/federation.md, which the test checks. */
export const Refusal = {
  unsigned: "unsigned",
  body: "the body is not what was signed",
  notFederation: "not a federation signature",
  unknownKey: "unknown or wrong key",
  badSignature: "forged, or altered, or misdirected",
  window: "outside the replay window",
  replayed: "replayed",
} as const;
export type RefusalReason = (typeof Refusal)[keyof typeof Refusal];

export interface WireRequest {
  method: string;
  /** Path and query, as on the request line. */
  path: string;
  headers: Record<string, string>;
  /** The body as UTF-8 text ("" for none). */
  body: string;
}

/** How a case is signed; every field but `created` is off the normal path. */
export interface Signing {
  created: number;
  /** The signer, when not the sender (default), and the key ID it names, when not its own. */
  by?: "impostor";
  keyIdOf?: "sender";
  /** The receiver the request is signed for, when not the one it is presented to. */
  audience?: string;
  // Deliberately off-spec: signRequest never does these.
  digest?: DigestAlgorithm;
  fields?: string[];
  omit?: string[];
  tag?: string;
  expires?: number;
}

export interface Case {
  name: string;
  description: string;
  request: WireRequest;
  signing: Signing;
  /** What happens to the signed request on the way (tampering, stripping). */
  alter?: (r: WireRequest) => WireRequest;
  unpinned?: "impostor";
  expect: ("accept" | RefusalReason)[];
}

const HANDLE = `${FederationPrefix}${FederationApiRoutes.handle.replace(":handle", "alice")}`;
// A body-carrying request: the path is only an example, since verification does not depend on
// the endpoint (every server-server request is signed the same way).
const SEND = `${FederationPrefix}/send/txn-0001`;
// Non-ASCII on purpose: the digest is over the UTF-8 bytes, not the characters.
const JSON_BODY = JSON.stringify({
  events: [{ type: "io.callsign.example", content: { text: "héllo, wörld" } }],
});
const get: WireRequest = { method: "GET", path: HANDLE, headers: { host: RECEIVER }, body: "" };
const withJson = (method: string): WireRequest => ({
  method,
  path: SEND,
  headers: { host: RECEIVER, "content-type": "application/json" },
  body: JSON_BODY,
});
const without =
  (...names: string[]) =>
  (r: WireRequest) => ({
    ...r,
    headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !names.includes(k))),
  });

const put = withJson("PUT");
const allBut = (c: string) => COVERED_COMPONENTS.filter((x) => x !== c);
const R = Refusal;

// One case per entry — name and outcome; request and signing; why — laid out as a table, which
// Prettier would unfold.
// prettier-ignore
export const cases: Case[] = [
  { name: "accept-get", expect: ["accept"],
    request: get, signing: { created: NOW },
    description: "A GET with an empty body (a Content-Digest of zero bytes), signed at the receiver's clock." },
  { name: "accept-put-json", expect: ["accept"],
    request: put, signing: { created: NOW - 30 },
    description: "A PUT with a JSON body, signed 30 s before the receiver's clock." },
  { name: "accept-post-sha512", expect: ["accept"],
    request: withJson("POST"), signing: { created: NOW, digest: "sha-512" },
    description: "A POST whose Content-Digest is sha-512 rather than sha-256: receivers accept both." },
  { name: "replay", expect: ["accept", R.replayed],
    request: put, signing: { created: NOW - 10 },
    description: "The same good request presented twice: accepted, then refused (its nonce was seen " +
      "from that key within the window)." },
  { name: "refuse-unsigned", expect: [R.unsigned],
    request: put, signing: { created: NOW }, alter: without("signature", "signature-input"),
    description: "Signature and Signature-Input removed (Content-Digest left)." },
  { name: "refuse-body-altered", expect: [R.body],
    request: put, signing: { created: NOW }, alter: (r) => ({ ...r, body: r.body.replace("é", "e") }),
    description: "The body changed after signing: the signed Content-Digest does not match it." },
  { name: "refuse-digest-missing", expect: [R.body],
    request: put, signing: { created: NOW }, alter: without("content-digest"),
    description: "The Content-Digest header removed after signing." },
  { name: "refuse-forged", expect: [R.badSignature],
    request: put, signing: { created: NOW, by: "impostor", keyIdOf: "sender" },
    description: "Signed by another key (the impostor's) under the sender's pinned key ID." },
  { name: "refuse-misdirected", expect: [R.badSignature],
    request: put, signing: { created: NOW, audience: THIRD },
    description: `Signed for ${THIRD} (@target-uri and @authority name it) and presented to ${RECEIVER}, ` +
      `as if ${THIRD} forwarded it.` },
  { name: "refuse-other-endpoint", expect: [R.badSignature],
    request: get, signing: { created: NOW }, alter: (r) => ({ ...r, path: r.path.replace(/alice$/, "bob") }),
    description: "Signed for one path and presented at another (the @target-uri differs)." },
  { name: "refuse-expired", expect: [R.window],
    request: get, signing: { created: NOW - 3600 },
    description: "Signed an hour before the receiver's clock: `created` over 300 s ago, `expires` past." },
  { name: "refuse-created-in-future", expect: [R.window],
    request: get, signing: { created: NOW + 600 },
    description: "Signed 600 s after the receiver's clock (`created` more than 300 s ahead)." },
  { name: "refuse-past-expires", expect: [R.window],
    request: get, signing: { created: NOW - 120, expires: NOW - 60 },
    description: "`created` 120 s ago (within 300 s), but the signer set `expires` 60 s after it, " +
      "so it has expired." },
  { name: "refuse-digest-not-covered", expect: [R.notFederation],
    request: put, signing: { created: NOW, fields: allBut("content-digest") },
    description: "The signature does not cover content-digest (the header is there and matches)." },
  { name: "refuse-nonce-missing", expect: [R.notFederation],
    request: put, signing: { created: NOW, omit: ["nonce"] },
    description: "The signature has no `nonce` parameter." },
  { name: "refuse-wrong-tag", expect: [R.notFederation],
    request: put, signing: { created: NOW, tag: "another-application" },
    description: 'Signed with `tag="another-application"`: a signature made for something else never counts.' },
  { name: "refuse-unknown-key", expect: [R.unknownKey], unpinned: "impostor",
    request: put, signing: { created: NOW, by: "impostor" },
    description: `Signed by the impostor under its own key ID: its certificate names ${SENDER} and is ` +
      `published, but ${SENDER}'s DNS does not pin it.` },
];
