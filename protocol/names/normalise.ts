/**
 * Normalisation of handles (spec/names.md, "Normalisation"): one function every implementation
 * applies before reading a handle's form, so that `Alice`, `ＡＬＩＣＥ` and `alice` are one name.
 * Invisible characters are refused, never silently removed: a stored handle must look exactly
 * like what the user saw and typed. Domains go through UTS #46 by way of the WHATWG URL host
 * parser, which browsers and Node.js share, so a client and a server agree on every A-label.
 */
import { HandleError } from "./handle-error.js";
import { punycodeDecode } from "./punycode.js";

/** Longest input accepted, in UTF-16 code units, before any normalisation. */
export const HANDLE_INPUT_MAX = 320;

/**
 * Characters refused anywhere in a handle: controls, format characters (bidi controls, zero-width
 * joiners and spaces, soft hyphen), default-ignorable code points, variation selectors and
 * white space.
 */
const invisible =
  /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Variation_Selector}\p{White_Space}]/u;

/** The first invisible character of `s`, or `undefined`. */
export function findInvisible(s: string): string | undefined {
  return invisible.exec(s)?.[0];
}

/** Code points written as `U+0041`, for error details. */
export const codePoints = (s: string) =>
  [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(" ");

/**
 * Normalises handle text: trim, NFKC, `İ` (U+0130) to `i` and `Σ` (U+03A3) to `σ` (as UTS #46
 * does, so that no lower-casing depends on context or locale), Unicode default lower-casing
 * (`toLowerCase`), NFKC again, and the ideographic full stop (U+3002, also the NFKC form of
 * U+FF61) to `.`.
 *
 * @throws HandleError `empty`, `too_long` or `invisible_character`.
 * @example
 * normalise(" ＡＬＩＣＥ ") // "alice"
 * normalise("İstanbul") // "istanbul"
 */
export function normalise(input: string): string {
  if (input.length > HANDLE_INPUT_MAX) throw new HandleError("too_long");
  const trimmed = input.trim();
  if (trimmed === "") throw new HandleError("empty");
  const bad = findInvisible(trimmed);
  if (bad !== undefined) throw new HandleError("invisible_character", codePoints(bad));
  const out = trimmed
    .normalize("NFKC")
    .replace(/\u0130/g, "i")
    .replace(/\u03a3/g, "\u03c3")
    .toLowerCase()
    .normalize("NFKC")
    .replace(/\u3002/g, ".");
  // NFKC can produce white space (U+00A0 → U+0020) and such; check the result too.
  const late = findInvisible(out);
  if (late !== undefined) throw new HandleError("invisible_character", codePoints(late));
  return out;
}

/**
 * The A-label form of a domain (UTS #46 ToASCII, non-transitional, as the WHATWG URL host parser
 * applies it): lower-case ASCII, `xn--` labels for non-ASCII ones. Checks only what UTS #46
 * checks; `parseDomain` adds the DNS rules.
 *
 * @throws HandleError `idna` when the host parser refuses the domain or reads it as an IP address.
 * @example
 * toASCIIDomain("пример.рф") // "xn--e1afmkfd.xn--p1ai"
 */
export function toASCIIDomain(domain: string): string {
  // Anything the URL parser would read as more than a host never reaches it.
  if (/[/\\?#@:%[\]\s]/.test(domain)) throw new HandleError("idna", domain);
  let host: string;
  try {
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    throw new HandleError("idna", domain);
  }
  if (/^[0-9.]+$/.test(host) || host.startsWith("[")) throw new HandleError("idna", `IP address ${host}`);
  return host;
}

/**
 * The U-label form of an A-label domain, for display: every `xn--` label decoded.
 *
 * @throws HandleError `idna` when a label is not valid Punycode.
 * @example
 * toUnicodeDomain("xn--e1afmkfd.xn--p1ai") // "пример.рф"
 */
export function toUnicodeDomain(domain: string): string {
  return domain
    .split(".")
    .map((label) => {
      if (!label.startsWith("xn--")) return label;
      try {
        return punycodeDecode(label.slice(4));
      } catch {
        throw new HandleError("idna", label);
      }
    })
    .join(".");
}
