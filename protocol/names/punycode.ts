/**
 * Punycode decoding (RFC 3492), for showing A-labels as U-labels. Encoding is left to the
 * WHATWG URL host parser, which every runtime has; decoding has no portable API (Node's
 * `url.domainToUnicode` does not exist in browsers), so it lives here. Input is the part of an
 * A-label after `xn--`; the caller has already validated the label with the URL parser.
 */

const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;
const initialBias = 72;
const initialN = 0x80;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  delta = firstTime ? Math.floor(delta / damp) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((base - tMin) * tMax) >> 1) {
    delta = Math.floor(delta / (base - tMin));
    k += base;
  }
  return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return base;
}

/**
 * Decodes a Punycode string (without the `xn--` prefix) to Unicode.
 *
 * @throws RangeError on malformed input or overflow.
 * @example
 * punycodeDecode("e1afmkfd") // "пример"
 */
export function punycodeDecode(input: string): string {
  const output: number[] = [];
  const delimiter = input.lastIndexOf("-");
  for (let j = 0; j < Math.max(delimiter, 0); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) throw new RangeError("punycode: non-basic code point before the delimiter");
    output.push(c);
  }
  let n = initialN;
  let bias = initialBias;
  let i = 0;
  for (let pos = delimiter > 0 ? delimiter + 1 : 0; pos < input.length;) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (pos >= input.length) throw new RangeError("punycode: truncated input");
      const digit = digitValue(input.charCodeAt(pos++));
      if (digit >= base) throw new RangeError("punycode: bad digit");
      if (digit > Math.floor((0x7fffffff - i) / w)) throw new RangeError("punycode: overflow");
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      if (w > Math.floor(0x7fffffff / (base - t))) throw new RangeError("punycode: overflow");
      w *= base - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldi, length, oldi === 0);
    if (Math.floor(i / length) > 0x10ffff - n) throw new RangeError("punycode: overflow");
    n += Math.floor(i / length);
    i %= length;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
