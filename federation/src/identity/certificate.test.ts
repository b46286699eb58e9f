import { expect } from "chai";
import { createHash, sign, verify } from "node:crypto";
import { certificateProblem, createIdentity, readCertificate } from "./certificate.js";

describe("server identity (X.509, Ed25519)", () => {
  it("makes a certificate for the server name whose key signs what the certificate verifies", async () => {
    const id = await createIdentity("a.example", 30);
    expect(id.certificatePem).to.match(/^-----BEGIN CERTIFICATE-----/);
    const der = Buffer.from(id.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    expect(id.fingerprint).to.equal(`sha256:${createHash("sha256").update(der).digest("hex")}`);
    expect(id.keyId).to.equal(`a.example/${id.fingerprint}`);
    const peer = await readCertificate(id.certificatePem);
    expect(peer).to.deep.include({ serverNames: ["a.example"], fingerprint: id.fingerprint });
    const data = Buffer.from("hello");
    expect(verify(null, data, peer.publicKey, sign(null, data, id.privateKey))).to.equal(true);
    expect(peer.notAfter.getTime() - peer.notBefore.getTime()).to.be.closeTo(30 * 86_400_000, 1000);
  });

  it("accepts a peer's certificate only for its name, within its validity, and when pinned in DNS", async () => {
    const id = await createIdentity("b.example", 1);
    const peer = await readCertificate(id.certificatePem);
    expect(certificateProblem(peer, "b.example", [id.fingerprint])).to.equal(undefined);
    expect(certificateProblem(peer, "b.example", ["sha256:00"])).to.match(/not pinned/);
    expect(certificateProblem(peer, "c.example", [id.fingerprint])).to.match(/does not name c.example/);
    expect(
      certificateProblem(peer, "b.example", [id.fingerprint], new Date(Date.now() + 3 * 86_400_000)),
    ).to.match(/not valid now/);
  });

  it("refuses what is not a certificate of this kind", async () => {
    const id = await createIdentity("d.example");
    const body = id.certificatePem.split("\n");
    // One character changed inside the signed part: the signature no longer verifies (or it no longer parses).
    body[3] = body[3]!.slice(0, 10) + (body[3]![10] === "A" ? "B" : "A") + body[3]!.slice(11);
    let refused = false;
    try {
      await readCertificate(body.join("\n"));
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });
});
