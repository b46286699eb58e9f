import { expect } from "chai";
import { editDistance } from "./directory.js";

describe("directory edit distance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions", () => {
    expect(editDistance("google", "google")).to.equal(0);
    expect(editDistance("gogle", "google")).to.equal(1);
    expect(editDistance("googel", "google")).to.equal(1);
    expect(editDistance("goolge", "google")).to.equal(1);
    expect(editDistance("yahoo", "google")).to.be.above(2);
    expect(editDistance("мир", "мор")).to.equal(1);
  });
});
