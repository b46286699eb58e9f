/**
 * Structured Field Values for HTTP (RFC 9651, which obsoletes RFC 8941), as much as request
 * signing needs: the values, and serialisers of parameters and bare items (section 4.1). The
 * parser is structured-field-parser.ts. Written for the path every federation request takes: a
 * generic structured-field library cost several times the Ed25519 check.
 */

/** A Token: an unquoted word (`ed25519`, `a.example/x`), as opposed to a String. */
export class Token {
  constructor(readonly value: string) {}
}

/** A Decimal, kept apart from Integers so that it serialises as one (`1.0` stays `1.0`). */
export class Decimal {
  constructor(readonly value: number) {}
}

/** A Date (RFC 9651 section 3.3.7): seconds since the epoch. */
export class SfDate {
  constructor(readonly seconds: number) {}
}

/** A Display String (RFC 9651 section 3.3.8): Unicode text. */
export class DisplayString {
  constructor(readonly value: string) {}
}

/** Integer (number), Decimal, String (string), Token, Byte Sequence (Buffer), Boolean, Date or Display String. */
export type BareItem = number | Decimal | string | Token | Buffer | boolean | SfDate | DisplayString;
export type Parameters = ReadonlyMap<string, BareItem>;
export interface Item {
  value: BareItem;
  params: Parameters;
}
export interface InnerList {
  items: Item[];
  params: Parameters;
}
export type Dictionary = Map<string, Item | InnerList>;

/** A field value that is not a structured field; the message says what is wrong and where. */
export class MalformedField extends Error {}

export function isInnerList(member: Item | InnerList): member is InnerList {
  return "items" in member;
}

/** `;key=value…` in the order given; a true Boolean is the bare key (section 4.1.1.2). */
export function serializeParams(params: Parameters): string {
  let out = "";
  for (const [key, value] of params)
    out += value === true ? `;${key}` : `;${key}=${serializeBareItem(value)}`;
  return out;
}

export function serializeBareItem(value: BareItem): string {
  if (typeof value === "string") return serializeString(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value) || Math.abs(value) > MAX_INTEGER) throw new MalformedField(`not an Integer`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "?1" : "?0";
  if (value instanceof Token) return value.value;
  if (value instanceof SfDate) return `@${serializeBareItem(value.seconds)}`;
  if (value instanceof DisplayString) {
    let out = "";
    for (const byte of Buffer.from(value.value, "utf8"))
      out +=
        byte < 0x20 || byte > 0x7e || byte === 0x25 || byte === DQUOTE
          ? `%${hex(byte)}`
          : String.fromCharCode(byte);
    return `%"${out}"`;
  }
  if (value instanceof Decimal) {
    const fixed = value.value.toFixed(3).replace(/0+$/, "");
    return fixed.endsWith(".") ? `${fixed}0` : fixed;
  }
  return `:${value.toString("base64")}:`;
}

/** A String: printable ASCII, with `"` and `\` escaped. */
export function serializeString(value: string): string {
  if (isPlainString(value)) return `"${value}"`;
  if (!PRINTABLE.test(value)) throw new MalformedField(`a String holds printable ASCII only: ${value}`);
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

const DQUOTE = 0x22;
const MAX_INTEGER = 999_999_999_999_999;
const PRINTABLE = /^[\x20-\x7e]*$/;
/** Printable ASCII but `"` and `\`: a String with nothing to escape. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const hex = (byte: number) => byte.toString(16).padStart(2, "0");

/** Whether a String's serialisation is the text in quotes, with nothing to escape. */
export function isPlainString(text: string): boolean {
  return PLAIN.test(text);
}
