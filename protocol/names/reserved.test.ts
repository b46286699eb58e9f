// Reserved names against spec/fixtures/reserved-names.json, and the list against spec/names.md,
// which must name every entry.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { checkName } from "./grammar.js";
import { isReserved, protocolKeywords, ReservedNames, ReservedPrefixes } from "./reserved.js";

interface Fixtures {
  reserved: { input: string; note?: string }[];
  free: { input: string; note?: string }[];
}

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), "utf8");
const fixtures = JSON.parse(read("../../spec/fixtures/reserved-names.json")) as Fixtures;

describe("reserved names (spec/fixtures/reserved-names.json)", function () {
  it("reserves every name in `reserved`, look-alikes included", function () {
    for (const { input, note } of fixtures.reserved)
      expect(isReserved(input), `${input} ${note ?? ""}`).to.equal(true);
  });

  it("leaves every name in `free` free", function () {
    for (const { input, note } of fixtures.free)
      expect(isReserved(input), `${input} ${note ?? ""}`).to.equal(false);
  });

  it("lists only valid names, and protocol keywords from the routes", function () {
    for (const name of [...ReservedNames, ...ReservedPrefixes, ...protocolKeywords()]) {
      expect(checkName(name), name).to.equal(name);
    }
    expect(protocolKeywords()).to.include.members(["calls", "handles", "names", "call"]);
  });

  it("is the list spec/names.md gives", function () {
    const doc = read("../../spec/names.md");
    const section = doc.slice(
      doc.indexOf("## Reserved names"),
      doc.indexOf("\n## ", doc.indexOf("## Reserved names") + 1),
    );
    const listed = new Set([...section.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!));
    for (const name of [...ReservedNames, ...ReservedPrefixes]) {
      expect(listed.has(name), `${name} is not in the "Reserved names" section of spec/names.md`).to.equal(
        true,
      );
    }
  });
});
