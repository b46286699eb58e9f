/**
 * A strict parser of Structured Field Dictionaries (RFC 9651 section 4.2.2) — the shape of
 * Signature-Input, Signature and Content-Digest — with every item type, inner lists and
 * parameters, following the RFC's parsing algorithms step by step: what they refuse is refused
 * here, with MalformedField saying what and where.
 */
import {
  Decimal,
  DisplayString,
  isPlainString,
  MalformedField,
  SfDate,
  Token,
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  type Parameters,
} from "./structured-fields.js";

/** Parses a Dictionary field value (section 4.2.2); a repeated key keeps its last value. */
export function parseDictionary(text: string): Dictionary {
  const p = new Parser(text);
  const dictionary: Dictionary = new Map();
  p.skip(SP);
  while (p.pos < text.length) {
    const key = p.key();
    if (p.at(EQUALS)) {
      p.pos++;
      dictionary.set(key, p.itemOrInnerList());
    } else {
      dictionary.set(key, { value: true, params: p.params() });
    }
    p.skipOws();
    if (p.pos === text.length) break;
    if (!p.at(COMMA)) p.fail("expected a comma between members");
    p.pos++;
    p.skipOws();
    if (p.pos === text.length) p.fail("a trailing comma");
  }
  return dictionary;
}

const SP = 0x20;
const TAB = 0x09;
const DQUOTE = 0x22;
const STAR = 0x2a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUESTION = 0x3f;
const AT = 0x40;
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;
/** The parameters of an item that has none, shared: parameters are never changed after parsing. */
const NO_PARAMS: Parameters = new Map();
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isAlpha = (c: number) => isLower(c | 0x20);
const isKeyChar = (c: number) =>
  isLower(c) || isDigit(c) || c === 0x5f || c === MINUS || c === DOT || c === STAR;
/** tchar (RFC 9110), ":" and "/": what follows a Token's first character. */
const TOKEN_CHARS = new Set(Array.from("!#$%&'*+-.^_`|~:/", (c) => c.charCodeAt(0)));
const isTokenChar = (c: number) => isAlpha(c) || isDigit(c) || TOKEN_CHARS.has(c);

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new MalformedField(`${what} at offset ${this.pos}`);
  }
  at(c: number): boolean {
    return this.s.charCodeAt(this.pos) === c;
  }
  skip(c: number): void {
    while (this.s.charCodeAt(this.pos) === c) this.pos++;
  }
  skipOws(): void {
    for (let c = this.s.charCodeAt(this.pos); c === SP || c === TAB; c = this.s.charCodeAt(this.pos))
      this.pos++;
  }

  key(): string {
    const start = this.pos;
    const first = this.s.charCodeAt(start);
    if (!isLower(first) && first !== STAR) this.fail("a key must begin with a lower-case letter or *");
    do this.pos++;
    while (isKeyChar(this.s.charCodeAt(this.pos)));
    return this.s.slice(start, this.pos);
  }

  itemOrInnerList(): Item | InnerList {
    if (!this.at(OPEN)) return { value: this.bareItem(), params: this.params() };
    this.pos++;
    const items: Item[] = [];
    for (;;) {
      this.skip(SP);
      if (this.pos >= this.s.length) this.fail("an inner list without its )");
      if (this.at(CLOSE)) {
        this.pos++;
        return { items, params: this.params() };
      }
      items.push({ value: this.bareItem(), params: this.params() });
      if (!this.at(SP) && !this.at(CLOSE)) this.fail("expected a space or ) after an item of an inner list");
    }
  }

  params(): Parameters {
    if (!this.at(SEMICOLON)) return NO_PARAMS;
    const params = new Map<string, BareItem>();
    while (this.at(SEMICOLON)) {
      this.pos++;
      this.skip(SP);
      const key = this.key();
      let value: BareItem = true;
      if (this.at(EQUALS)) {
        this.pos++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  bareItem(): BareItem {
    const c = this.s.charCodeAt(this.pos);
    if (c === MINUS || isDigit(c)) return this.number();
    if (c === DQUOTE) return this.string();
    if (c === STAR || isAlpha(c)) return this.token();
    if (c === COLON) return this.bytes();
    if (c === QUESTION) return this.boolean();
    if (c === AT) return this.date();
    if (c === PERCENT) return this.displayString();
    return this.fail(this.pos < this.s.length ? "not the start of an item" : "an item missing");
  }

  number(): number | Decimal {
    const negative = this.at(MINUS);
    if (negative) this.pos++;
    const start = this.pos;
    if (!isDigit(this.s.charCodeAt(start))) this.fail("expected a digit");
    let dot = -1;
    for (let c = this.s.charCodeAt(this.pos); isDigit(c) || (c === DOT && dot < 0);) {
      if (c === DOT) {
        if (this.pos - start > 12) this.fail("a Decimal with more than 12 integer digits");
        dot = this.pos;
      }
      this.pos++;
      if (this.pos - start > (dot < 0 ? 15 : 16)) this.fail("a number too long");
      c = this.s.charCodeAt(this.pos);
    }
    const value = Number(this.s.slice(start, this.pos)) * (negative ? -1 : 1);
    if (dot < 0) return value;
    if (dot === this.pos - 1 || this.pos - dot > 4) this.fail("a Decimal needs 1 to 3 fractional digits");
    return new Decimal(value);
  }

  string(): string {
    // Most Strings have nothing escaped: one search and one test instead of a loop per character.
    const end = this.s.indexOf('"', this.pos + 1);
    const plain = end < 0 ? "" : this.s.slice(this.pos + 1, end);
    if (end >= 0 && isPlainString(plain)) {
      this.pos = end + 1;
      return plain;
    }
    let out = "";
    let from = ++this.pos;
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (c === DQUOTE) {
        out += this.s.slice(from, this.pos++);
        return out;
      }
      if (c === BACKSLASH) {
        const next = this.s.charCodeAt(this.pos + 1);
        if (next !== DQUOTE && next !== BACKSLASH) this.fail('a \\ in a String must escape \\ or "');
        out += this.s.slice(from, this.pos);
        from = this.pos + 1;
        this.pos += 2;
      } else if (c >= 0x20 && c <= 0x7e) {
        this.pos++;
      } else {
        this.fail(
          this.pos < this.s.length ? "a String holds printable ASCII only" : 'a String without its "',
        );
      }
    }
  }

  token(): Token {
    const start = this.pos++;
    while (isTokenChar(this.s.charCodeAt(this.pos))) this.pos++;
    return new Token(this.s.slice(start, this.pos));
  }

  bytes(): Buffer {
    const end = this.s.indexOf(":", this.pos + 1);
    if (end < 0) this.fail("a Byte Sequence without its closing :");
    const base64 = this.s.slice(this.pos + 1, end);
    // Padding is optional (section 4.2.7), but where it is there it must be whole.
    const whole = base64.endsWith("=") ? base64.length % 4 === 0 : base64.length % 4 !== 1;
    if (!whole || !BASE64.test(base64)) this.fail("a Byte Sequence that is not base64");
    this.pos = end + 1;
    return Buffer.from(base64, "base64");
  }

  date(): SfDate {
    this.pos++;
    const seconds = this.number();
    if (typeof seconds !== "number") this.fail("a Date must be an Integer");
    return new SfDate(seconds);
  }

  displayString(): DisplayString {
    if (this.s.charCodeAt(++this.pos) !== DQUOTE) this.fail('a Display String begins with %"');
    const bytes: number[] = [];
    for (this.pos++; this.pos < this.s.length; this.pos++) {
      const c = this.s.charCodeAt(this.pos);
      if (c === DQUOTE) {
        this.pos++;
        try {
          return new DisplayString(UTF8.decode(new Uint8Array(bytes)));
        } catch {
          return this.fail("a Display String that is not UTF-8");
        }
      }
      if (c < 0x20 || c > 0x7e) this.fail("a Display String holds printable ASCII only");
      if (c === PERCENT) {
        const pair = this.s.slice(this.pos + 1, this.pos + 3);
        if (!/^[0-9a-f]{2}$/.test(pair)) this.fail("a % in a Display String takes two lower-case hex digits");
        bytes.push(parseInt(pair, 16));
        this.pos += 2;
      } else {
        bytes.push(c);
      }
    }
    return this.fail('a Display String without its "');
  }

  boolean(): boolean {
    const c = this.s.charCodeAt(++this.pos);
    if (c !== 0x30 && c !== 0x31) this.fail("a Boolean must be ?0 or ?1");
    this.pos++;
    return c === 0x31;
  }
}
