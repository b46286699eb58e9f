import { expect } from "chai";
import { parseCallLink, parseDialInput } from "./call-links.js";

describe("call links", () => {
  it("reads the handle and tag of a call link path", () => {
    expect(parseCallLink("/call/100000001")).to.deep.equal({ handle: "100000001" });
    expect(parseCallLink("/call/100000001/support/")).to.deep.equal({ handle: "100000001", tag: "support" });
    expect(parseCallLink("/call/ann%40example.org")).to.deep.equal({ handle: "ann@example.org" });
    expect(parseCallLink("/")).to.equal(null);
    expect(parseCallLink("/call/")).to.equal(null);
    expect(parseCallLink("/call/a/b/c")).to.equal(null);
    expect(parseCallLink("/call/%E0%A4%A")).to.equal(null);
  });

  it("takes a pasted link, a path or a plain handle from the dial box", () => {
    expect(parseDialInput(" https://telco-a.example/call/100000001/sales ")).to.deep.equal({
      handle: "100000001",
      tag: "sales",
    });
    expect(parseDialInput("/call/ann")).to.deep.equal({ handle: "ann" });
    expect(parseDialInput("ann@example.org")).to.deep.equal({ handle: "ann@example.org" });
    expect(parseDialInput("https://telco-a.example/")).to.equal(null);
    expect(parseDialInput("   ")).to.equal(null);
  });
});
