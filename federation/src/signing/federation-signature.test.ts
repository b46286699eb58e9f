import { expect } from "chai";
import { generateKeyPairSync, sign } from "node:crypto";
import { createSigner, httpbis } from "http-message-signatures";
import { contentDigest } from "./content-digest.js";
import { readSignature, signatureBase, SignatureRejected } from "./federation-signature.js";
import { signRequest, verifyRequest } from "./request-signature.js";

const COVERED = '("@method" "@target-uri" "@authority" "content-digest")';
const PARAMS = ';created=1782907200;expires=1782907500;nonce="n0nce";keyid="a.example/k1"';
const TAIL = ';alg="ed25519";tag="callsign-federation"';
const SIG = `:${Buffer.alloc(64, 7).toString("base64")}:`;

/** What readSignature says of a Signature-Input (and a Signature, by default one for `callsign`). */
function problem(input: string, signature = `callsign=${SIG}`): string | undefined {
  try {
    readSignature(input, signature);
    return undefined;
  } catch (err) {
    expect(err).to.be.instanceOf(SignatureRejected);
    return (err as Error).message;
  }
}

describe("the federation signature's fields", () => {
  it("reads its own writing and the general way alike", () => {
    const input = `callsign=${COVERED}${PARAMS}${TAIL}`;
    const fast = readSignature(input, `callsign=${SIG}`);
    // Leading spaces and optional whitespace are allowed, and not how we write: the general way.
    const general = readSignature(` ${input}`, `callsign=${SIG}  `);
    expect(general).to.deep.equal(fast);
    expect(fast).to.deep.include({ keyId: "a.example/k1", nonce: "n0nce", created: 1782907200 });
    expect(fast.params).to.equal(input.slice("callsign=".length));
  });

  it("finds the federation signature by its tag among others, whatever its label", () => {
    const other = `proxy=("@method");created=1;keyid="p";tag="another-application"`;
    const read = readSignature(`${other}, fed=${COVERED}${PARAMS}${TAIL}`, `proxy=:AAAA:, fed=${SIG}`);
    expect(read.keyId).to.equal("a.example/k1");
  });

  it("writes the received parameters back canonically in the signature base", () => {
    const read = readSignature(
      `callsign=${COVERED};created=01782907200;expires=1782907500;nonce="n0nce";x=?1;keyid="a.example/k1";tag="callsign-federation"`,
      `callsign=${SIG}`,
    );
    expect(read.params).to.equal(
      `${COVERED};created=1782907200;expires=1782907500;nonce="n0nce";x;keyid="a.example/k1";tag="callsign-federation"`,
    );
  });

  const refusals: [string, string, RegExp][] = [
    [
      "an unparsable Signature-Input",
      `callsign=${COVERED}${PARAMS}${TAIL},`,
      /^malformed Signature-Input \(/,
    ],
    ["an empty Signature-Input", " ", /not signed/],
    ["no federation tag", `callsign=${COVERED}${PARAMS};tag="other"`, /^not a federation signature$/],
    [
      "two federation signatures",
      `a=${COVERED}${PARAMS}${TAIL}, callsign=${COVERED}${PARAMS}${TAIL}`,
      /more than one/,
    ],
    [
      "another algorithm",
      `callsign=${COVERED}${PARAMS};alg="rsa-v1_5-sha256";tag="callsign-federation"`,
      /unsupported algorithm/,
    ],
    [
      "alg as a Token",
      `callsign=${COVERED}${PARAMS};alg=ed25519;tag="callsign-federation"`,
      /unsupported algorithm/,
    ],
    ["not an inner list", `callsign="x"${PARAMS}${TAIL}`, /Malformed signature input/],
    [
      "no nonce",
      `callsign=${COVERED};created=1;expires=2;keyid="k"${TAIL}`,
      /missing required signature parameters/,
    ],
    [
      "no keyid",
      `callsign=${COVERED};created=1;expires=2;nonce="n"${TAIL}`,
      /missing required signature parameters/,
    ],
    [
      "content-digest not covered",
      `callsign=("@method" "@target-uri" "@authority")${PARAMS}${TAIL}`,
      /missing required signed fields/,
    ],
    [
      "a component with parameters",
      `callsign=("@method";req "@target-uri" "@authority" "content-digest")${PARAMS}${TAIL}`,
      /missing required signed fields/,
    ],
    [
      "another order",
      `callsign=("@target-uri" "@method" "@authority" "content-digest")${PARAMS}${TAIL}`,
      /covers other than exactly/,
    ],
    [
      "more components",
      `callsign=("@method" "@target-uri" "@authority" "content-digest" "date")${PARAMS}${TAIL}`,
      /covers other than exactly/,
    ],
    [
      "keyid as a Token",
      `callsign=${COVERED};created=1;expires=2;nonce="n";keyid=a.example/k1${TAIL}`,
      /keyid and nonce are Strings/,
    ],
  ];
  for (const [what, input, expected] of refusals) {
    it(`refuses ${what}`, () => expect(problem(input)).to.match(expected));
  }

  it("refuses a Signature that is missing, unparsable or not bytes for the federation label", () => {
    const input = `callsign=${COVERED}${PARAMS}${TAIL}`;
    expect(problem(input, `other=${SIG}`)).to.equal("No corresponding signature for input");
    expect(problem(input, `callsign=${SIG.slice(0, -1)}`)).to.match(/^malformed Signature \(/);
    expect(problem(input, `callsign="text"`)).to.equal("Malformed signature");
  });

  it("verifies what http-message-signatures signs with the parameters in another order", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const now = Date.UTC(2026, 10, 21, 12);
    const body = Buffer.from("{}");
    const message = {
      method: "POST",
      url: "https://b.example:8448/_callsign/federation/v1/calls",
      headers: { "content-digest": contentDigest(body, "sha-512") },
    };
    const signed = await httpbis.signMessage(
      {
        key: createSigner(privateKey, "ed25519", "a.example/k1"),
        name: "sig1",
        fields: ["@method", "@target-uri", "@authority", "content-digest"],
        params: ["keyid", "nonce", "tag", "created", "expires"],
        paramValues: { created: new Date(now), nonce: "abc", tag: "callsign-federation" },
      },
      message,
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const opts = { keyFor: async () => publicKey, firstUse: async () => true, now };
    expect(await verifyRequest({ ...message, headers, body }, opts)).to.deep.equal({ keyId: "a.example/k1" });
  });

  it("builds the base RFC 9421 describes, with the authority's port when not the default", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const req = { method: "put", url: "https://B.example:8448/x?y=1", headers: {}, body: Buffer.alloc(0) };
    const headers = await signRequest({ ...req }, { keyId: "k", privateKey }, 0, "n");
    const params = headers["signature-input"]!.slice("callsign=".length);
    const base = signatureBase(req.method, req.url, headers["content-digest"]!, params);
    expect(base).to.equal(
      [
        `"@method": PUT`,
        `"@target-uri": https://B.example:8448/x?y=1`,
        `"@authority": b.example:8448`,
        `"content-digest": sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:`,
        `"@signature-params": ${params}`,
      ].join("\n"),
    );
    expect(headers["signature"]).to.equal(
      `callsign=:${sign(null, Buffer.from(base), privateKey).toString("base64")}:`,
    );
  });
});
