import { expect } from "chai";
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { createSigner, createVerifier, httpbis } from "http-message-signatures";
import {
  COVERED_COMPONENTS,
  FEDERATION_TAG,
  REPLAY_WINDOW_S,
  SIGNATURE_NAME,
  SIGNATURE_PARAMS,
  signRequest,
  SignatureRejected,
  verifyRequest,
  type OutgoingRequest,
} from "./request-signature.js";

// RFC 9421 Appendix B.1.4: test-key-ed25519 (as a JWK), and Appendix B.2.6's request.
const rfcKey = createPrivateKey({
  key: {
    kty: "OKP",
    crv: "Ed25519",
    d: "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU",
    x: "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs",
  },
  format: "jwk",
});
const rfcRequest = {
  method: "POST",
  url: "https://example.com/foo?param=Value&Pet=dog",
  headers: {
    host: "example.com",
    date: "Tue, 20 Apr 2021 02:07:55 GMT",
    "content-type": "application/json",
    "content-digest":
      "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
    "content-length": "18",
  } as Record<string, string>,
};
const B26_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const B26_SIGNATURE =
  "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

describe("HTTP Message Signatures (RFC 9421)", () => {
  it("signs Appendix B.2.6's request exactly as the RFC does with test-key-ed25519", async () => {
    const signed = await httpbis.signMessage(
      {
        key: createSigner(rfcKey, "ed25519", "test-key-ed25519"),
        name: "sig-b26",
        fields: ["date", "@method", "@path", "@authority", "content-type", "content-length"],
        params: ["created", "keyid"],
        paramValues: { created: new Date(1618884473 * 1000) },
      },
      rfcRequest,
    );
    expect(signed.headers["Signature-Input"]).to.equal(B26_INPUT);
    expect(signed.headers["Signature"]).to.equal(B26_SIGNATURE);
  });

  it("is the signature of the base written as ours are (a line per component, LF, the parameters last)", () => {
    const base = [
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@method": POST',
      '"@path": /foo',
      '"@authority": example.com',
      '"content-type": application/json',
      '"content-length": 18',
      `"@signature-params": ${B26_INPUT.slice("sig-b26=".length)}`,
    ].join("\n");
    expect(`sig-b26=:${sign(null, Buffer.from(base), rfcKey).toString("base64")}:`).to.equal(B26_SIGNATURE);
  });

  it("verifies the RFC's signature with the public key, and not a changed request", async () => {
    const publicKey = createPublicKey(rfcKey);
    const keyLookup = async () => ({
      id: "test-key-ed25519",
      algs: ["ed25519"],
      verify: createVerifier(publicKey, "ed25519"),
    });
    const request = {
      ...rfcRequest,
      headers: { ...rfcRequest.headers, "signature-input": B26_INPUT, signature: B26_SIGNATURE },
    };
    expect(await httpbis.verifyMessage({ keyLookup }, request)).to.equal(true);
    const changed = { ...request, method: "PUT" };
    expect(await httpbis.verifyMessage({ keyLookup }, changed).catch(() => false)).to.equal(false);
  });
});

describe("federation request signatures", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const key = { keyId: "a.example#2026", privateKey };
  const now = Date.UTC(2026, 10, 21, 12);
  const request: OutgoingRequest = {
    method: "PUT",
    url: "https://b.example/_callsign/federation/v1/send/txn1",
    headers: { "content-type": "application/json" },
    body: Buffer.from('{"events":[]}'),
  };
  const seen = new Set<string>();
  const opts = {
    keyFor: async (id: string) => (id === key.keyId ? publicKey : undefined),
    firstUse: async (id: string, nonce: string) =>
      !seen.has(`${id} ${nonce}`) && !!seen.add(`${id} ${nonce}`),
    now,
  };
  const incoming = (headers: Record<string, string>, over: Partial<OutgoingRequest> = {}) => ({
    method: over.method ?? request.method,
    url: over.url ?? request.url,
    headers,
    body: over.body ?? request.body,
  });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      expect(err).to.be.instanceOf(SignatureRejected);
      return (err as Error).message;
    }
    throw new Error("accepted");
  };

  it("covers method, target, authority and the body's digest, and is accepted once", async () => {
    const headers = await signRequest(request, key, now);
    expect(headers["signature-input"]).to.match(
      /^callsign=\("@method" "@target-uri" "@authority" "content-digest"\)/,
    );
    expect(headers["signature-input"]).to.include('tag="callsign-federation"');
    expect(await verifyRequest(incoming(headers), opts)).to.deep.equal({ keyId: key.keyId });
    expect(await refusal(verifyRequest(incoming(headers), opts))).to.match(/replayed/);
  });

  it("refuses unsigned, forged, tampered, misdirected, stale and unknown-key requests", async () => {
    const headers = await signRequest(request, key, now);
    expect(await refusal(verifyRequest(incoming({ "content-type": "application/json" }), opts))).to.match(
      /not signed/,
    );
    expect(
      await refusal(verifyRequest(incoming(headers, { body: Buffer.from('{"events":[1]}') }), opts)),
    ).to.match(/digest does not match/);
    expect(
      await refusal(
        verifyRequest(
          incoming(headers, { url: "https://c.example/_callsign/federation/v1/send/txn1" }),
          opts,
        ),
      ),
    ).to.match(/signature|verif/i);
    expect(await refusal(verifyRequest(incoming(headers, { method: "POST" }), opts))).to.match(
      /signature|verif/i,
    );
    const other = generateKeyPairSync("ed25519").privateKey;
    const forged = await signRequest(request, { keyId: key.keyId, privateKey: other }, now);
    expect(await refusal(verifyRequest(incoming(forged), opts))).to.match(/signature|verif/i);
    const stale = await signRequest(request, key, now - 3_600_000);
    expect(await refusal(verifyRequest(incoming(stale), opts))).to.match(/window|expired|old|created/i);
    const unknown = await signRequest(request, { keyId: "mallory.example#1", privateKey: other }, now);
    expect(await refusal(verifyRequest(incoming(unknown), opts))).to.match(/unknown key/);
  });
  it("are byte for byte what http-message-signatures makes of the same request, and each verifies the other's", async () => {
    const nonce = "bm9uY2Utb2YtMTYtYnl0ZQ";
    const ours = await signRequest(request, key, now, nonce);
    const created = new Date(Math.floor(now / 1000) * 1000);
    const theirs = await httpbis.signMessage(
      {
        key: createSigner(privateKey, "ed25519", key.keyId),
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
      { ...request, headers: { ...request.headers, "content-digest": ours["content-digest"]! } },
    );
    const lowered = Object.fromEntries(Object.entries(theirs.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(ours).to.deep.equal(lowered);
    // Their verifier accepts ours (with our requirements)…
    const keyLookup = async () => ({
      id: key.keyId,
      algs: ["ed25519"],
      verify: createVerifier(publicKey, "ed25519"),
    });
    const required = {
      requiredFields: COVERED_COMPONENTS,
      requiredParams: ["created", "expires", "nonce", "keyid", "tag"],
      // It reads only the real clock; `now` is another day.
      tolerance: Number.POSITIVE_INFINITY,
    };
    expect(await httpbis.verifyMessage({ keyLookup, ...required }, { ...request, headers: ours })).to.equal(
      true,
    );
    // …and ours theirs, read the general way when it is not written as we write it.
    const spaced = { ...lowered, "signature-input": ` ${lowered["signature-input"]}` };
    expect(await verifyRequest(incoming(spaced), opts)).to.deep.equal({ keyId: key.keyId });
  });
});
