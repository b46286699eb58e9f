import { expect } from "chai";
import { parseDictionary as libraryParse, type Item as LibraryItem } from "structured-headers";
import {
  Decimal,
  DisplayString,
  isInnerList,
  MalformedField,
  serializeBareItem,
  serializeParams,
  serializeString,
  SfDate,
  Token,
  type InnerList,
  type Item,
} from "./structured-fields.js";
import { parseDictionary } from "./structured-field-parser.js";

describe("Structured Field Values (RFC 9651)", () => {
  it("parses every item type, inner lists and parameters", () => {
    const d = parseDictionary(
      ' a=1, b=-2.5;x, c="q\\"uo\\\\te", d=tok/en:x, e=:AQID:, f=?0, g, h=(1 "two" ?1);p=*t, i=()',
    );
    expect([...d.keys()]).to.deep.equal(["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
    const item = (k: string) => d.get(k) as Item;
    expect(item("a").value).to.equal(1);
    expect(item("b").value).to.deep.equal(new Decimal(-2.5));
    expect(item("b").params.get("x")).to.equal(true);
    expect(item("c").value).to.equal('q"uo\\te');
    expect(item("d").value).to.deep.equal(new Token("tok/en:x"));
    expect(item("e").value).to.deep.equal(Buffer.from([1, 2, 3]));
    expect(item("f").value).to.equal(false);
    expect(item("g").value).to.equal(true);
    const h = d.get("h") as InnerList;
    expect(isInnerList(h)).to.equal(true);
    expect(h.items.map((i) => i.value)).to.deep.equal([1, "two", true]);
    expect(h.params.get("p")).to.deep.equal(new Token("*t"));
    expect((d.get("i") as InnerList).items).to.deep.equal([]);
  });

  it("parses RFC 9651's Dates and Display Strings, and writes them back", () => {
    const d = parseDictionary('d=@1659578233, s=%"f%c3%bc%c3%bc %22x%22%25"');
    expect((d.get("d") as Item).value).to.deep.equal(new SfDate(1659578233));
    expect((d.get("s") as Item).value).to.deep.equal(new DisplayString('füü "x"%'));
    expect(serializeBareItem(new SfDate(1659578233))).to.equal("@1659578233");
    expect(serializeBareItem(new DisplayString('füü "x"%'))).to.equal('%"f%c3%bc%c3%bc %22x%22%25"');
  });

  it("keeps a repeated key's place and its last value, as the RFC says", () => {
    const d = parseDictionary("a=1, b=2, a=3");
    expect([...d].map(([k, m]) => [k, (m as Item).value])).to.deep.equal([
      ["a", 3],
      ["b", 2],
    ]);
  });

  it("reads what the structured-headers library reads, and writes RFC 9421 B.2.6's input back byte for byte", () => {
    const input =
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
    const ours = parseDictionary(input).get("sig-b26") as InnerList;
    const [theirs, theirParams] = libraryParse(input).get("sig-b26")!;
    expect(ours.items.map((i) => i.value)).to.deep.equal((theirs as LibraryItem[]).map(([v]) => v));
    expect([...ours.params]).to.deep.equal([...theirParams]);
    const items = ours.items.map((i) => serializeBareItem(i.value) + serializeParams(i.params)).join(" ");
    expect(`sig-b26=(${items})${serializeParams(ours.params)}`).to.equal(input);
  });

  it("serialises canonically", () => {
    expect(serializeBareItem(new Decimal(1))).to.equal("1.0");
    expect(serializeBareItem(new Decimal(-0.125))).to.equal("-0.125");
    expect(serializeBareItem(new Decimal(2.5))).to.equal("2.5");
    expect(serializeBareItem(false)).to.equal("?0");
    expect(serializeBareItem(Buffer.from("hi"))).to.equal(":aGk=:");
    expect(serializeString('a"b\\c')).to.equal('"a\\"b\\\\c"');
    const params = (parseDictionary("a;x;y=?0;z=007;w=1.50") as Map<string, Item>).get("a")!.params;
    expect(serializeParams(params)).to.equal(";x;y=?0;z=7;w=1.5");
    expect(() => serializeString("é")).to.throw(MalformedField);
  });

  const malformed = [
    "a=1,",
    "a=1 b=2",
    "A=1",
    "1a=1",
    "a=",
    'a="unterminated',
    'a="bad \\q escape"',
    'a="tab\tinside"',
    "a=:not base64!:",
    "a=:AQI:extra",
    "a=:AQ=:",
    "a=:AQID",
    "a=?2",
    "a=(1 2",
    "a=(1,2)",
    "a=1.",
    "a=1.2345",
    "a=1234567890123.5",
    "a=1234567890123456",
    "a=--1",
    "a=@1.5",
    'a=%"caf%C3%A9"',
    'a=%"bad %ff"',
    'a=%"open',
    "a=1;B=2",
    "a=1, ",
  ];
  for (const text of malformed) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(() => parseDictionary(text)).to.throw(MalformedField, /at offset \d+/);
      expect(() => libraryParse(text), "structured-headers accepts it").to.throw();
    });
  }
});
