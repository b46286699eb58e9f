import { expect } from "chai";
import { isDirectoryQuery } from "./dial-suggestions.js";

describe("dial box suggestions", () => {
  it("asks the directory about names and domains, not numbers, addresses or links", () => {
    expect(["acme", "acme.com", "Анна"].map(isDirectoryQuery)).to.deep.equal([true, true, true]);
    expect(
      ["a", " ", "100000001", "+351 912-345", "ann@acme.com", "/call/acme", "https://x.example/call/a"].map(
        isDirectoryQuery,
      ),
    ).to.deep.equal([false, false, false, false, false, false, false]);
  });
});
