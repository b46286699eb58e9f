// The handle grammar against the shared vectors in spec/fixtures/handles.json, which any other
// implementation of spec/names.md can run as well.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { HandleError, HandleErrorReasons } from "./handle-error.js";
import { HandleLimits, parseDomain, parseHandle, parseName } from "./grammar.js";
import { HANDLE_INPUT_MAX, normalise } from "./normalise.js";

interface Fixtures {
  valid: ({ input: string; note?: string } & Record<string, string>)[];
  invalid: { input: string; reason: string; note?: string }[];
}

const fixtures = JSON.parse(
  readFileSync(new URL("../../spec/fixtures/handles.json", import.meta.url), "utf8"),
) as Fixtures;

const show = (s: string) => JSON.stringify(s).slice(0, 80);

function reasonOf(input: string): string | undefined {
  try {
    parseHandle(input);
    return undefined;
  } catch (e) {
    if (e instanceof HandleError) return e.reason;
    throw e;
  }
}

describe("handle grammar (spec/fixtures/handles.json)", function () {
  it("parses every valid handle to its kind, canonical and display forms", function () {
    for (const { input, note, ...expected } of fixtures.valid) {
      let actual: unknown;
      try {
        actual = parseHandle(input);
      } catch (e) {
        actual = e instanceof HandleError ? { refused: e.reason } : e;
      }
      expect(actual, `${show(input)} ${note ?? ""}`).to.deep.equal(expected);
    }
  });

  it("refuses every invalid handle with the reason of the first rule it breaks", function () {
    const wrong = fixtures.invalid
      .map(({ input, reason }) => ({ input: show(input), expected: reason, actual: reasonOf(input) }))
      .filter(({ expected, actual }) => expected !== actual);
    expect(wrong).to.deep.equal([]);
    for (const { reason } of fixtures.invalid) expect(HandleErrorReasons).to.have.property(reason);
  });

  it("has a fixture for every reason code", function () {
    const used = new Set(fixtures.invalid.map((f) => f.reason));
    expect(Object.keys(HandleErrorReasons).filter((r) => !used.has(r))).to.deep.equal([]);
  });

  it("has every reason code in the table of spec/names.md", function () {
    const doc = readFileSync(new URL("../../spec/names.md", import.meta.url), "utf8");
    for (const reason of Object.keys(HandleErrorReasons)) {
      expect(doc, `${reason} is not in spec/names.md`).to.match(
        new RegExp(`^\\|\\s*\`${reason}\`\\s*\\|`, "m"),
      );
    }
  });

  it("is idempotent: a canonical handle parses to itself", function () {
    for (const { handle, display } of fixtures.valid) {
      expect(parseHandle(handle!).handle, show(handle!)).to.equal(handle);
      expect(parseHandle(display!).handle, show(display!)).to.equal(handle);
    }
  });
});

describe("parseName and parseDomain", function () {
  it("read a name or a domain only", function () {
    expect(parseName(" Alice ")).to.equal("alice");
    expect(() => parseName("acme.com"))
      .to.throw(HandleError)
      .with.property("reason", "bad_character");
    expect(() => parseName("100000001"))
      .to.throw(HandleError)
      .with.property("reason", "name_start");
    expect(parseDomain("ПРИМЕР.РФ")).to.deep.equal({ ascii: "xn--e1afmkfd.xn--p1ai", unicode: "пример.рф" });
    expect(() => parseDomain("acme"))
      .to.throw(HandleError)
      .with.property("reason", "single_label");
  });

  it("counts name lengths in code points, not UTF-16 units", function () {
    const astral = "𠀀".repeat(HandleLimits.nameMax); // CJK Extension B: two UTF-16 units each
    expect(parseName(astral)).to.equal(astral);
    expect(() => parseName(astral + "𠀀"))
      .to.throw(HandleError)
      .with.property("reason", "name_too_long");
  });
});

describe("normalise", function () {
  it("is idempotent and refuses over-long input before normalising it", function () {
    for (const s of ["ＡＬＩＣＥ", "İstanbul", "ΟΔΟΣ", "ǆemal", "acme。com", "ｽｽﾞｷ"]) {
      expect(normalise(normalise(s))).to.equal(normalise(s));
    }
    expect(() => normalise("a".repeat(HANDLE_INPUT_MAX + 1))).to.throw(HandleError);
    expect(normalise("a".repeat(HANDLE_INPUT_MAX))).to.have.length(HANDLE_INPUT_MAX);
  });
});
