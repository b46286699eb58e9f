// The shared signed-request fixtures (spec/fixtures/federation/requests/) against this
// implementation's verifier, the way another implementation is asked to use them
// (spec/fixtures/README.md): each case is presented to `verifyRequest` with the receiver's clock
// set to the fixture's `now`, keys trusted only through the production certificate checks
// (named, valid then, pinned by the fixture's TXT record) and a nonce store of its own. The
// files must also be what scripts/spec/federation-fixtures.ts generates, so they cannot drift
// from the code, and every reason must be a row of spec/federation.md's refusal table.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { KeyObject } from "node:crypto";
import path from "node:path";
import { expect } from "chai";
import { certificateProblem, readCertificate } from "../federation/src/identity/certificate.js";
import { SignatureRejected, verifyRequest } from "../federation/src/signing/request-signature.js";
import { parsePinRecord } from "../protocol/federation/discovery.js";
import {
  readKeys,
  Refusal,
  renderFixtures,
  requestsDir,
  type FederationFixture,
  type RefusalReason,
} from "../scripts/spec/federation-fixtures.js";
import { root } from "../scripts/spec/paths.js";

/** Which row of the refusal table a SignatureRejected message is (the verifier's wording). */
const reasons: [RegExp, RefusalReason][] = [
  [/not signed/, Refusal.unsigned],
  [/Content-Digest|digest/, Refusal.body],
  [/not a federation signature|unsupported algorithm/, Refusal.notFederation],
  [/unknown key/, Refusal.unknownKey],
  [/does not verify/, Refusal.badSignature],
  [/replay window/, Refusal.window],
  [/replayed/, Refusal.replayed],
];

const caseFiles = readdirSync(path.join(root, requestsDir))
  .filter((f) => f.endsWith(".json"))
  .sort();
const load = (file: string) =>
  JSON.parse(readFileSync(path.join(root, requestsDir, file), "utf8")) as FederationFixture;

/** The keys a receiver would trust: the sender's published certificates that pass the checks at `now`. */
async function trustedKeys(f: FederationFixture, now: Date): Promise<Map<string, KeyObject>> {
  const pinned = [parsePinRecord(f.sender.pin.value)].filter((p): p is string => !!p);
  const keys = new Map<string, KeyObject>();
  for (const pem of [f.sender.certificate, ...f.sender.unpinned_certificates]) {
    const cert = await readCertificate(pem);
    if (!certificateProblem(cert, f.sender.server_name, pinned, now))
      keys.set(`${f.sender.server_name}/${cert.fingerprint}`, cert.publicKey);
  }
  return keys;
}

/** Presents a fixture's request as the receiver gets it; answers "accept" or the refusal's message. */
function presenter(f: FederationFixture, keys: Map<string, KeyObject>) {
  const seen = new Set<string>();
  return async (): Promise<{ accepted?: string; refused?: string }> => {
    try {
      const { keyId } = await verifyRequest(
        {
          method: f.request.method,
          // As federation/src/inbound/authenticate.ts rebuilds it: our name, the request's path.
          url: `https://${f.receiver.server_name}${f.request.path}`,
          headers: f.request.headers,
          body: Buffer.from(f.request.body, "utf8"),
        },
        {
          keyFor: async (id) => keys.get(id),
          firstUse: async (id, nonce) => !seen.has(`${id} ${nonce}`) && !!seen.add(`${id} ${nonce}`),
          now: f.now * 1000,
        },
      );
      return { accepted: keyId };
    } catch (err) {
      if (!(err instanceof SignatureRejected)) throw err;
      return { refused: err.message };
    }
  };
}

describe("signed-request fixtures (spec/fixtures/federation/)", function () {
  it("are what `npm run spec:fixtures` generates from keys.json", async function () {
    const keys = await readKeys();
    expect(keys, "spec/fixtures/federation/keys.json is missing").not.to.equal(undefined);
    const rendered = await renderFixtures(keys!);
    const stale = [...rendered]
      .filter(([file, content]) => {
        const full = path.join(root, file);
        return !existsSync(full) || readFileSync(full, "utf8") !== content;
      })
      .map(([file]) => file);
    const extra = caseFiles.map((f) => `${requestsDir}/${f}`).filter((f) => !rendered.has(f));
    expect(
      [...stale, ...extra],
      "fixtures out of date with the signing code or the script: run `npm run spec:fixtures` and commit",
    ).to.deep.equal([]);
  });

  it("give only reasons of spec/federation.md's refusal table, and a case for each of its rows", function () {
    const doc = readFileSync(path.join(root, "spec/federation.md"), "utf8");
    const table = doc.slice(doc.indexOf("| refusal"), doc.indexOf("\n\n", doc.indexOf("| refusal")));
    const rows = table
      .split("\n")
      .slice(2)
      .map((line) => line.split("|")[2]!.trim());
    const used = new Set(
      caseFiles.flatMap((f) => load(f).expect.flatMap((e) => (e.outcome === "refuse" ? [e.reason] : []))),
    );
    expect([...used].sort()).to.deep.equal([...rows].sort());
  });

  for (const file of caseFiles) {
    const f = load(file);
    // A malformed file fails its own test (below) and the freshness test, not the whole load.
    const expected = (f.expect ?? []).map((e) =>
      e.outcome === "accept" ? "accept" : `refuse (${e.reason})`,
    );
    it(`${file.replace(/\.json$/, "")}: ${expected.join(", then ")}`, async function () {
      const now = new Date(f.now * 1000);
      const keys = await trustedKeys(f, now);
      // Exactly the pinned certificate is trusted; a published but unpinned one never is.
      expect([...keys.keys()]).to.deep.equal([f.sender.key_id]);
      const present = presenter(f, keys);
      for (const [i, e] of f.expect.entries()) {
        const got = await present();
        const where = `${file}, presentation ${i + 1}`;
        if (e.outcome === "accept") {
          expect(got, where).to.deep.equal({ accepted: e.key_id });
        } else {
          expect(got.refused, `${where}: accepted`).to.be.a("string");
          const reason = reasons.find(([re]) => re.test(got.refused!))?.[1];
          expect(reason, `${where}: refused with "${got.refused}"`).to.equal(e.reason);
        }
      }
    });
  }
});
