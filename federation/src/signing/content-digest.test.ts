import { expect } from "chai";
import { contentDigest, contentDigestProblem } from "./content-digest.js";

describe("Content-Digest (RFC 9530)", () => {
  // The body of RFC 9421's example requests, and its digests as the RFCs print them.
  const body = Buffer.from('{"hello": "world"}');

  it("computes the RFC's SHA-256 and SHA-512 values", () => {
    expect(contentDigest(body)).to.equal("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    expect(contentDigest(body, "sha-512")).to.equal(
      "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
    );
    // RFC 9530 section 2: the same object followed by a line feed.
    expect(contentDigest(Buffer.from('{"hello": "world"}\n'))).to.equal(
      "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
    );
  });

  it("accepts a matching digest, ignores unknown algorithms, and says what is wrong otherwise", () => {
    expect(contentDigestProblem(contentDigest(body), body)).to.equal(undefined);
    expect(contentDigestProblem(`md5=:AAAA:, ${contentDigest(body, "sha-512")}`, body)).to.equal(undefined);
    expect(contentDigestProblem(contentDigest(body), Buffer.from('{"hello": "World"}'))).to.match(
      /does not match/,
    );
    expect(contentDigestProblem("md5=:AAAA:", body)).to.match(/no supported/);
    expect(contentDigestProblem(undefined, body)).to.equal("no Content-Digest");
    expect(contentDigestProblem("sha-256=not-bytes", body)).to.match(/malformed/);
    expect(contentDigestProblem("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body)).to.equal(
      "malformed Content-Digest",
    );
  });

  it("reads a digest written otherwise than we write it the general way", () => {
    // Unpadded base64 (RFC 9651 lets parsers accept it), whitespace, an algorithm named like an
    // Object property.
    const unpadded = contentDigest(body).replace(/=:$/, ":");
    expect(contentDigestProblem(`  ${unpadded}`, body)).to.equal(undefined);
    expect(contentDigestProblem(`constructor=:AAAA:,\t${contentDigest(body)}`, body)).to.equal(undefined);
  });
});
