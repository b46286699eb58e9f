// Punycode decoding against samples of RFC 3492 section 7.1.
import { expect } from "chai";
import { punycodeDecode } from "./punycode.js";

describe("punycodeDecode (RFC 3492)", function () {
  it("decodes the RFC's samples", function () {
    expect(punycodeDecode("egbpdaj6bu4bxfgehfvwxn")).to.equal("ليهمابتكلموشعربي؟"); // (A) Arabic
    expect(punycodeDecode("ihqwcrb4cv8a8dqg056pqjye")).to.equal("他们为什么不说中文"); // (B) Chinese
    expect(punycodeDecode("3B-ww4c5e180e575a65lsy2b")).to.equal("3年B組金八先生"); // (L) mixed
    expect(punycodeDecode("e1afmkfd")).to.equal("пример");
  });

  it("refuses malformed input", function () {
    for (const bad of ["zz", "-", "99999999999", "ab!c"])
      expect(() => punycodeDecode(bad), bad).to.throw(RangeError);
  });
});
