/**
 * Federation groundwork (issue 6): a provider makes its identity once (every process signs
 * with the same key, kept encrypted in the database), serves its certificates at
 * /.well-known/callsign/server, and keeps a rotated-out certificate published for the overlap.
 */
import { expect } from "chai";
import { sign, verify } from "node:crypto";
import {
  FederationRoutes,
  parsePinRecord,
  pinRecord,
  type ServerDiscoveryView,
} from "../protocol/federation/discovery.js";
import { certificateProblem, readCertificate } from "../federation/src/identity/certificate.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("federation identity", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({ processes: 2, serverName: "a.example.test" });
  });
  after(() => net?.close());

  const discover = async (baseUrl: string) =>
    (await (await fetch(`${baseUrl}${FederationRoutes.wellKnownServer}`)).json()) as ServerDiscoveryView;

  it("serves one identity from every process, whose certificate names the provider and verifies its signatures", async () => {
    const [one, two] = [await discover(net.servers[0]!.baseUrl), await discover(net.servers[1]!.baseUrl)];
    expect(one.server_name).to.equal("a.example.test");
    expect(one.versions).to.deep.equal(["v1"]);
    expect(one.certificates).to.have.length(1);
    expect(two.certificates.map((c) => c.fingerprint)).to.deep.equal(
      one.certificates.map((c) => c.fingerprint),
    );
    const cert = await readCertificate(one.certificates[0]!.certificate);
    expect(cert.fingerprint).to.equal(one.certificates[0]!.fingerprint);
    expect(
      certificateProblem(cert, "a.example.test", [parsePinRecord(pinRecord(cert.fingerprint))!]),
    ).to.equal(undefined);
    // The key in the database (decrypted with the server secret) is the certificate's.
    const identity = await net.servers[0]!.homeserver!.ctx.serverKeys.current();
    const data = Buffer.from("proof");
    expect(verify(null, data, cert.publicKey, sign(null, data, identity.privateKey))).to.equal(true);
    const [row] = await net.query<{ private_key_enc: string }>(`SELECT private_key_enc FROM server_keys`);
    expect(row!.private_key_enc).to.not.include("PRIVATE KEY");
  });

  it("keeps the old certificate published through the rotation overlap, then only the new one", async () => {
    const store = net.servers[0]!.homeserver!.ctx.serverKeys;
    const old = await store.current();
    const next = await store.rotate(60_000);
    expect(next.fingerprint).to.not.equal(old.fingerprint);
    const during = await discover(net.servers[0]!.baseUrl);
    expect(during.certificates.map((c) => c.fingerprint)).to.deep.equal([next.fingerprint, old.fingerprint]);
    const after = await store.published(new Date(Date.now() + 120_000));
    expect(after.map((c) => c.fingerprint)).to.deep.equal([next.fingerprint]);
  });

  it("reads pin records strictly", () => {
    const fp = `sha256:${"ab".repeat(32)}`;
    expect(parsePinRecord(pinRecord(fp))).to.equal(fp);
    expect(parsePinRecord("v=callsign1 provider=b.example")).to.equal(undefined);
    expect(parsePinRecord(`v=callsign1 fp=sha256:${"AB".repeat(32)}`)).to.equal(undefined);
    expect(parsePinRecord(`v=callsign1 fp=sha256:${"ab".repeat(31)}`)).to.equal(undefined);
  });
});
