/**
 * Generates `spec/fixtures/federation/requests/`: signed server-server requests, good and bad,
 * each with what a receiver following spec/federation.md ("Signed requests") must answer, so
 * another implementation can be checked against files (spec/fixtures/README.md says how).
 *
 * The output is deterministic: Ed25519 signatures are (RFC 8032), and every `created` and
 * `nonce` is fixed here. The keys are not made on each run, because a certificate carries a
 * random serial number: the sender's identity and an impostor's were made once with the
 * production `createIdentity` and are kept in `spec/fixtures/federation/keys.json`, which this
 * script reads (and makes only when it is missing). Good requests are signed with the production
 * `signRequest`; the deliberately wrong ones that it can never make (another tag, fewer covered
 * components, a missing parameter, a short `expires`) with the same library call, changed. The
 * cases themselves are in `federation-cases.ts`.
 *
 * `renderFixtures()` computes the files without writing, for test/federation-fixtures.test.ts;
 * `npm run spec:fixtures` writes the ones that changed and removes cases no longer made.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSigner, httpbis } from "http-message-signatures";
import * as prettier from "prettier";
import { createIdentity, keyIdOf, readCertificate } from "../../federation/src/identity/certificate.js";
import { contentDigest } from "../../federation/src/signing/content-digest.js";
import {
  COVERED_COMPONENTS,
  FEDERATION_TAG,
  REPLAY_WINDOW_S,
  SIGNATURE_NAME,
  SIGNATURE_PARAMS,
  signRequest,
  type OutgoingRequest,
  type SigningKey,
} from "../../federation/src/signing/request-signature.js";
import { ErrorCodes, type ErrorCode } from "../../protocol/errors.js";
import { KEY_PIN_LABEL, pinRecord } from "../../protocol/federation/discovery.js";
import {
  cases,
  NOW,
  RECEIVER,
  SENDER,
  type Case,
  type RefusalReason,
  type Signing,
  type WireRequest,
} from "./federation-cases.js";
import { root } from "./paths.js";

export { Refusal, type RefusalReason, type WireRequest } from "./federation-cases.js";

/** What a receiver answers every refusal with (spec/federation.md "Signed requests"). */
const REFUSED: ErrorCode = "IO_CALLSIGN_FEDERATION_UNAUTHORIZED";

export const keysFile = "spec/fixtures/federation/keys.json";
export const requestsDir = "spec/fixtures/federation/requests";

export type Outcome =
  | { outcome: "accept"; key_id: string }
  | { outcome: "refuse"; reason: RefusalReason; status: number; errcode: string };

/** One case file. */
export interface FederationFixture {
  description: string;
  sender: {
    server_name: string;
    key_id: string;
    fingerprint: string;
    certificate: string;
    /** The DNS record that pins `certificate`. */
    pin: { name: string; type: "TXT"; value: string };
    /** Certificates for the sender's name that it also publishes but does not pin: never trusted. */
    unpinned_certificates: string[];
  };
  receiver: { server_name: string };
  /** The receiver's clock, unix seconds. */
  now: number;
  request: WireRequest;
  /** One entry per presentation of `request`, in order, to the same receiver (one nonce store). */
  expect: Outcome[];
}

interface KeyEntry {
  server_name: string;
  /** PKCS#8 PEM. */
  private_key: string;
  certificate: string;
}
export interface FixtureKeys {
  description: string;
  sender: KeyEntry;
  impostor: KeyEntry;
}

interface Identity extends SigningKey {
  serverName: string;
  certificate: string;
  fingerprint: string;
}

/** The keys of keys.json as signing identities; checks that each private key is its certificate's. */
export async function loadKeys(keys: FixtureKeys): Promise<{ sender: Identity; impostor: Identity }> {
  const load = async (e: KeyEntry): Promise<Identity> => {
    const privateKey = createPrivateKey(e.private_key);
    const cert = await readCertificate(e.certificate);
    if (!samePublicKey(createPublicKey(privateKey), cert.publicKey))
      throw new Error(`${keysFile}: the private key of ${e.server_name} is not its certificate's`);
    const keyId = keyIdOf(e.server_name, cert.fingerprint);
    return {
      serverName: e.server_name,
      certificate: e.certificate,
      fingerprint: cert.fingerprint,
      keyId,
      privateKey,
    };
  };
  return { sender: await load(keys.sender), impostor: await load(keys.impostor) };
}

/** Every case file, repository-relative path → formatted JSON. */
export async function renderFixtures(keys: FixtureKeys): Promise<Map<string, string>> {
  const ids = await loadKeys(keys);
  const files = new Map<string, string>();
  for (const c of cases) {
    const fixture = await buildCase(c, ids);
    const file = `${requestsDir}/${c.name}.json`;
    files.set(file, await formatJson(file, fixture));
  }
  return files;
}

async function buildCase(c: Case, ids: { sender: Identity; impostor: Identity }): Promise<FederationFixture> {
  const s = c.signing;
  const signer = s.by ? ids[s.by] : ids.sender;
  const key = { keyId: s.keyIdOf ? ids[s.keyIdOf].keyId : signer.keyId, privateKey: signer.privateKey };
  const outgoing: OutgoingRequest = {
    method: c.request.method,
    url: `https://${s.audience ?? RECEIVER}${c.request.path}`,
    headers: c.request.headers,
    body: Buffer.from(c.request.body, "utf8"),
  };
  const nonce = createHash("sha256").update(`callsign-fixture:${c.name}`).digest().subarray(0, 16);
  const offSpec = s.digest || s.fields || s.omit || s.tag || s.expires !== undefined;
  const headers = offSpec
    ? await signOffSpec(outgoing, key, s, nonce.toString("base64url"))
    : await signRequest(outgoing, key, s.created * 1000, nonce.toString("base64url"));
  const signed = { ...c.request, headers };
  const { sender } = ids;
  return {
    description: c.description,
    sender: {
      server_name: sender.serverName,
      key_id: sender.keyId,
      fingerprint: sender.fingerprint,
      certificate: sender.certificate,
      pin: {
        name: `${KEY_PIN_LABEL}.${sender.serverName}`,
        type: "TXT",
        value: pinRecord(sender.fingerprint),
      },
      unpinned_certificates: c.unpinned ? [ids[c.unpinned].certificate] : [],
    },
    receiver: { server_name: RECEIVER },
    now: NOW,
    request: c.alter ? c.alter(signed) : signed,
    expect: c.expect.map((e) =>
      e === "accept"
        ? { outcome: "accept", key_id: sender.keyId }
        : { outcome: "refuse", reason: e, status: ErrorCodes[REFUSED].status, errcode: REFUSED },
    ),
  };
}

/** signRequest's library call with the case's deviations; the same header names and order. */
async function signOffSpec(req: OutgoingRequest, key: SigningKey, s: Signing, nonce: string) {
  const headers = { ...req.headers, "content-digest": contentDigest(req.body, s.digest) };
  const signed = await httpbis.signMessage(
    {
      key: createSigner(key.privateKey, "ed25519", key.keyId),
      name: SIGNATURE_NAME,
      fields: s.fields ?? COVERED_COMPONENTS,
      params: SIGNATURE_PARAMS.filter((p) => !s.omit?.includes(p)),
      paramValues: {
        created: new Date(s.created * 1000),
        expires: new Date((s.expires ?? s.created + REPLAY_WINDOW_S) * 1000),
        nonce,
        tag: s.tag ?? FEDERATION_TAG,
      },
    },
    { method: req.method, url: req.url, headers },
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** As `npm run lint` (Prettier, with the repository's settings) wants the file. */
async function formatJson(file: string, value: unknown): Promise<string> {
  const options = (await prettier.resolveConfig(path.join(root, file))) ?? {};
  return prettier.format(JSON.stringify(value), { ...options, filepath: file });
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: "spki", format: "der" }).equals(b.export({ type: "spki", format: "der" }));
}

/** keys.json, or undefined when there is none yet. */
export async function readKeys(): Promise<FixtureKeys | undefined> {
  const text = await readFile(path.join(root, keysFile), "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as FixtureKeys);
}

/** Makes keys.json once: two identities for the sender's name, valid 2026-01-01 for ten years. */
async function makeKeys(): Promise<FixtureKeys> {
  const entry = async (): Promise<KeyEntry> => {
    const id = await createIdentity(SENDER, 3650, new Date(Date.UTC(2026, 0, 1)));
    const pem = id.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    return { server_name: SENDER, private_key: pem, certificate: id.certificatePem };
  };
  return {
    description:
      "TEST KEYS ONLY, published on purpose: never use them for anything else. The sender's identity " +
      "(pinned in every case) and an impostor's certificate for the same name (never pinned), Ed25519, " +
      "made once by scripts/spec/federation-fixtures.ts and reused by it.",
    sender: await entry(),
    impostor: await entry(),
  };
}

async function main(): Promise<void> {
  let keys = await readKeys();
  if (!keys) {
    keys = await makeKeys();
    const text = await formatJson(keysFile, keys);
    await mkdir(path.dirname(path.join(root, keysFile)), { recursive: true });
    await writeFile(path.join(root, keysFile), text);
    console.log(`made ${keysFile}`);
  }
  const files = await renderFixtures(keys);
  await mkdir(path.join(root, requestsDir), { recursive: true });
  for (const old of await readdir(path.join(root, requestsDir))) {
    const file = `${requestsDir}/${old}`;
    if (!files.has(file)) await rm(path.join(root, file));
  }
  for (const [file, content] of files) {
    const full = path.join(root, file);
    if ((await readFile(full, "utf8").catch(() => "")) === content) continue;
    await writeFile(full, content);
    console.log(`wrote ${file}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
