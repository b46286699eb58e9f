/**
 * The handle grammar (spec/names.md, "Handles"): what a handle is and how it reads. A handle is
 * a number (`100000001`), a name (a user name or a service id: one namespace), a domain
 * (`acme.com`) or `local@domain`. Its form decides its kind, in this order after normalisation:
 * an `@` makes an address, a `.` a domain, only digits a number, anything else a name. That is
 * why a name has no dots, and why a name starts with a letter.
 *
 * Everything here is pure and runs in browsers and Node.js alike; the parsers throw a
 * `HandleError` whose `reason` names the rule that failed.
 */
import { HandleError } from "./handle-error.js";
import { codePoints, normalise, toASCIIDomain, toUnicodeDomain } from "./normalise.js";
import { mixedDigits, restrictionLevel, scriptsOf } from "./script.js";

/** Length limits, in code points for names and in octets (UTF-8 / A-labels) for the rest. */
export const HandleLimits = {
  nameMin: 3,
  nameMax: 32,
  /** RFC 5321 §4.5.3.1.1. */
  localMax: 64,
  /** RFC 1035 §2.3.4, RFC 5890 §2.3.2.1, for the A-label. */
  labelMax: 63,
  /** RFC 1035 §2.3.4 (255 on the wire, less the length octets of the first and root labels). */
  domainMax: 253,
  /** RFC 5321 §4.5.3.1.3 path (256) less the angle brackets. */
  addressMax: 254,
} as const;

/** A number: nine ASCII digits, not starting with 0. */
export const NumberPattern = /^[1-9][0-9]{8}$/;

/** How the part before `@` of an address reads; the hosting provider resolves it. */
export type LocalKind = "number" | "name" | "mailbox";

/** A parsed handle: `handle` is the canonical form to store and send, `display` the form to show. */
export type ParsedHandle =
  | { kind: "number"; handle: string; display: string }
  | { kind: "name"; handle: string; display: string }
  | { kind: "domain"; handle: string; display: string }
  | {
      kind: "address";
      handle: string;
      display: string;
      /** The normalised part before `@`. */
      local: string;
      local_kind: LocalKind;
      /** The domain in A-labels. */
      domain: string;
    };

export type HandleKind = ParsedHandle["kind"];

const separator = /^[-_]$/;
const letter = /^\p{L}$/u;
/** A letter other than a modifier letter (U+02BC looks like an apostrophe, U+30FC like a dash). */
const firstLetter = /^(?!\p{Lm})\p{L}$/u;
const mark = /^\p{M}$/u;
const nameChar = /^[\p{L}\p{M}\p{Nd}_-]$/u;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * Checks the scripts, digits and combining marks of a name or a U-label (UTS #39 §5):
 * Recommended scripts only, Highly Restrictive at most, one decimal system, marks only after a
 * letter, no run of more than 4 non-spacing marks or of one mark twice, no dot above on i or j.
 */
function checkScripts(s: string): void {
  for (const c of s) {
    // A letter must have a script of its own: Common letters (modifier letters such as U+02B9,
    // which looks like an apostrophe) are refused with the letters of unrecommended scripts.
    const scripts = scriptsOf(c);
    if (scripts === "all" ? letter.test(c) : scripts.size === 0) {
      throw new HandleError("script_not_allowed", codePoints(c));
    }
  }
  const level = restrictionLevel(s);
  if (level !== "ascii" && level !== "single-script" && level !== "highly-restrictive") {
    throw new HandleError("mixed_script", level);
  }
  if (mixedDigits(s)) throw new HandleError("mixed_digits");
  const chars = [...s.normalize("NFD")];
  let run = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const previous = chars[i - 1];
    if (mark.test(c) && (previous === undefined || !(letter.test(previous) || mark.test(previous)))) {
      throw new HandleError("bad_mark", `${codePoints(c)} follows no letter`);
    }
    if (!/^\p{Mn}$/u.test(c)) {
      run = 0;
      continue;
    }
    if (++run > 4) throw new HandleError("bad_mark", "more than 4 non-spacing marks in a row");
    if (previous === c) throw new HandleError("bad_mark", `${codePoints(c)} twice`);
    if (c === "\u0307" && /^\p{Soft_Dotted}$/u.test(previous!)) {
      throw new HandleError("bad_mark", "dot above on a dotted letter");
    }
  }
}

/**
 * Checks a normalised name (user name or service id) and returns it.
 *
 * Rules, in order: 3–32 code points; only letters, combining marks, decimal digits, `-` and
 * `_`; starts with a letter; a separator only between two other characters; then the script
 * rules of UTS #39 (see `checkScripts`). Reserved names and look-alikes of held names are the
 * registry's business (`isReserved`, `nameKey`), not the grammar's.
 *
 * @throws HandleError
 */
export function checkName(s: string): string {
  const chars = [...s];
  if (chars.length < HandleLimits.nameMin) throw new HandleError("name_too_short");
  if (chars.length > HandleLimits.nameMax) throw new HandleError("name_too_long");
  const bad = chars.find((c) => !nameChar.test(c));
  if (bad !== undefined) throw new HandleError("bad_character", codePoints(bad));
  if (!firstLetter.test(chars[0]!)) throw new HandleError("name_start");
  if (separator.test(chars.at(-1)!)) throw new HandleError("name_end");
  if (/[-_]{2}/.test(s)) throw new HandleError("consecutive_separators");
  checkScripts(s);
  return s;
}

/**
 * Parses a user name or service id.
 *
 * @example
 * parseName("Alice") // "alice"
 * parseName("p\u0430ypal") // throws HandleError mixed_script
 */
export function parseName(input: string): string {
  return checkName(normalise(input));
}

const ldhLabel = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const domainChar = /^[\p{L}\p{M}\p{Nd}.-]$/u;

/** Checks a normalised domain and returns its A-label and U-label forms. */
function checkDomain(s: string): { ascii: string; unicode: string } {
  const bad = [...s].find((c) => !domainChar.test(c));
  if (bad !== undefined) throw new HandleError("bad_character", codePoints(bad));
  const labels = s.split(".");
  if (labels.some((label) => label === "")) throw new HandleError("empty_label");
  if (labels.length < 2) throw new HandleError("single_label");
  if (/^[0-9]+$/.test(labels.at(-1)!)) throw new HandleError("numeric_tld");
  const ascii = toASCIIDomain(s);
  const unicode = toUnicodeDomain(ascii);
  const uLabels = unicode.split(".");
  ascii.split(".").forEach((label, i) => {
    if (utf8Length(label) > HandleLimits.labelMax) throw new HandleError("label_too_long", label);
    const u = uLabels[i]!;
    for (const form of [label, u]) {
      if (form.startsWith("-") || form.endsWith("-")) throw new HandleError("bad_label", form);
      if (form.slice(2, 4) === "--" && !form.startsWith("xn--")) throw new HandleError("bad_label", form);
    }
    if (!ldhLabel.test(label)) throw new HandleError("bad_label", label);
    if (label.startsWith("xn--")) {
      const bad = [...u].find((c) => !domainChar.test(c) || c === ".");
      if (bad !== undefined) throw new HandleError("bad_character", codePoints(bad));
      checkScripts(u);
    }
  });
  if (ascii.length > HandleLimits.domainMax) throw new HandleError("domain_too_long");
  return { ascii, unicode };
}

/**
 * Parses a domain: at least two labels, A-labels in storage, U-labels for display.
 *
 * @example
 * parseDomain("ПРИМЕР.РФ") // { ascii: "xn--e1afmkfd.xn--p1ai", unicode: "пример.рф" }
 */
export function parseDomain(input: string): { ascii: string; unicode: string } {
  return checkDomain(normalise(input));
}

/** RFC 5321 atext, plus non-ASCII letters, marks and digits (RFC 6531). */
const atext = /^[\p{L}\p{M}\p{Nd}!#$%&'*+/=?^_`{|}~-]$/u;

function checkLocal(local: string): LocalKind {
  if (NumberPattern.test(local)) return "number";
  try {
    checkName(local);
    return "name";
  } catch (e) {
    // A look-alike name is refused, not read as a mailbox.
    if (e instanceof HandleError && (e.reason === "mixed_script" || e.reason === "script_not_allowed"))
      throw e;
  }
  if (utf8Length(local) > HandleLimits.localMax) throw new HandleError("local_too_long");
  const atoms = local.split(".");
  const bad = [...local].find((c) => c !== "." && !atext.test(c));
  if (bad !== undefined) throw new HandleError("bad_local", codePoints(bad));
  if (atoms.some((atom) => atom === "")) throw new HandleError("bad_local", "empty atom");
  if (/\P{ASCII}/u.test(local)) checkScripts(local.replace(/[^\p{L}\p{M}\p{Nd}]/gu, ""));
  return "mailbox";
}

/**
 * Parses any handle: trims and normalises it, reads its kind from its form and checks the rules
 * of that kind.
 *
 * @throws HandleError with the `reason` of the first rule broken.
 * @example
 * parseHandle("100000001") // { kind: "number", handle: "100000001", display: "100000001" }
 * parseHandle("Alice") // { kind: "name", handle: "alice", display: "alice" }
 * parseHandle("пример.рф") // { kind: "domain", handle: "xn--e1afmkfd.xn--p1ai", display: "пример.рф" }
 * parseHandle("Sales@ACME.com")
 * // { kind: "address", handle: "sales@acme.com", display: "sales@acme.com",
 * //   local: "sales", local_kind: "name", domain: "acme.com" }
 */
export function parseHandle(input: string): ParsedHandle {
  const s = normalise(input);
  if (s.includes("@")) {
    const parts = s.split("@");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") throw new HandleError("bad_address");
    const [local, domainPart] = parts as [string, string];
    const local_kind = checkLocal(local);
    const { ascii, unicode } = checkDomain(domainPart);
    const handle = `${local}@${ascii}`;
    if (utf8Length(handle) > HandleLimits.addressMax) throw new HandleError("address_too_long");
    return { kind: "address", handle, display: `${local}@${unicode}`, local, local_kind, domain: ascii };
  }
  if (s.includes(".")) {
    const { ascii, unicode } = checkDomain(s);
    return { kind: "domain", handle: ascii, display: unicode };
  }
  if (/^\p{Nd}+$/u.test(s)) {
    if (!NumberPattern.test(s)) throw new HandleError("bad_number");
    return { kind: "number", handle: s, display: s };
  }
  const name = checkName(s);
  return { kind: "name", handle: name, display: name };
}
