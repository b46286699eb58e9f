import { expect } from "chai";
import { keywordsOf, originsOf } from "./list-input.js";

describe("lists typed into one field", () => {
  it("splits a rule's keywords at commas, leaving blanks out", () => {
    expect(keywordsOf(" refund, money back ,, VAT ")).to.deep.equal(["refund", "money back", "VAT"]);
    expect(keywordsOf(" , ")).to.deep.equal([]);
  });

  it("takes a widget's sites one per line, whatever the line ends", () => {
    expect(originsOf("https://a.example\r\n\n  https://b.example:8443 \n")).to.deep.equal([
      "https://a.example",
      "https://b.example:8443",
    ]);
  });
});
