import { expect } from "chai";
import { dialled } from "./pbx-lines.js";

describe("the handle a PBX's call names", () => {
  it("is the user part of the address dialled, percent-decoded", () => {
    expect(dialled("sip:bella@pbx.example.test")).to.equal("bella");
    expect(dialled("sip:100000004@10.0.0.5:5060")).to.equal("100000004");
    expect(dialled("sip:sales%40acme.com@pbx.example.test")).to.equal("sales@acme.com");
    expect(dialled("sips:acme.com@pbx.example.test;transport=tls")).to.equal("acme.com");
    expect(dialled(" sip:bella@pbx.example.test ")).to.equal("bella");
  });

  it("is nothing when the address names no user, or cannot be decoded", () => {
    expect(dialled("sip:pbx.example.test")).to.equal(undefined);
    expect(dialled("tel:+15551234567")).to.equal(undefined);
    expect(dialled("sip:%E0%A4%A@pbx.example.test")).to.equal(undefined);
    expect(dialled("")).to.equal(undefined);
  });
});
