/**
 * Scripts of a string, after UTS #39 §5 (Restriction-Level Detection and Mixed-Number
 * Detection). The Script_Extensions data comes from the runtime's regular expressions
 * (`\p{scx=…}`), so no table ships with this module; the scripts considered are the Recommended
 * scripts of UTS #31 Table 5, the ones a name may be written in. A character of any other script
 * makes the string "unrestricted".
 *
 * The resolved script set follows UTS #39 §5.1: each character contributes its
 * Script_Extensions, Common and Inherited count as every script, Han is augmented with Jpan,
 * Kore and Hanb, Hiragana and Katakana with Jpan, Hangul with Kore, Bopomofo with Hanb.
 */

/** UTS #31 Table 5 Recommended scripts, other than Common (Zyyy) and Inherited (Zinh). */
export const RecommendedScripts = [
  "Arab", "Armn", "Beng", "Bopo", "Cyrl", "Deva", "Ethi", "Geor", "Grek", "Gujr", "Guru",
  "Hang", "Hani", "Hebr", "Hira", "Kana", "Khmr", "Knda", "Laoo", "Latn", "Mlym", "Mymr",
  "Orya", "Sinh", "Taml", "Telu", "Thaa", "Thai", "Tibt",
] as const; // prettier-ignore

export type ScriptCode = (typeof RecommendedScripts)[number] | "Jpan" | "Kore" | "Hanb";

const scriptTests = RecommendedScripts.map((code) => [code, new RegExp(`^\\p{scx=${code}}$`, "u")] as const);
const commonOrInherited = /^[\p{scx=Zyyy}\p{scx=Zinh}]$/u;

const augment: Partial<Record<ScriptCode, ScriptCode[]>> = {
  Hani: ["Jpan", "Kore", "Hanb"],
  Hira: ["Jpan"],
  Kana: ["Jpan"],
  Hang: ["Kore"],
  Bopo: ["Hanb"],
};

/**
 * The augmented script set of one code point: `"all"` for Common and Inherited, an empty set
 * for a code point of no Recommended script.
 */
export function scriptsOf(char: string): Set<ScriptCode> | "all" {
  if (commonOrInherited.test(char)) return "all";
  const out = new Set<ScriptCode>();
  for (const [code, test] of scriptTests) {
    if (!test.test(char)) continue;
    out.add(code);
    for (const extra of augment[code] ?? []) out.add(extra);
  }
  return out;
}

/** The code points of `s` that belong to no Recommended script (nor to Common or Inherited). */
export function unrecommendedChars(s: string): string[] {
  return [...s].filter((c) => {
    const scripts = scriptsOf(c);
    return scripts !== "all" && scripts.size === 0;
  });
}

/**
 * The resolved script set of `s` (UTS #39 §5.1), restricted to the Recommended scripts;
 * `"all"` when `s` has only Common and Inherited characters.
 *
 * @example
 * resolvedScripts("alice") // Set {"Latn"}
 * resolvedScripts("p\u0430ypal") // Set {} — Latin and Cyrillic
 */
export function resolvedScripts(s: string): Set<ScriptCode> | "all" {
  let resolved: Set<ScriptCode> | undefined;
  for (const c of s) {
    const scripts = scriptsOf(c);
    if (scripts === "all") continue;
    resolved = resolved ? new Set([...resolved].filter((x) => scripts.has(x))) : new Set(scripts);
  }
  return resolved ?? "all";
}

/** True when `s` is not single-script: its resolved script set is empty. */
export function mixedScript(s: string): boolean {
  const resolved = resolvedScripts(s);
  return resolved !== "all" && resolved.size === 0;
}

/** UTS #39 §5.2 restriction levels, least restrictive last. */
export type RestrictionLevel =
  | "ascii"
  | "single-script"
  | "highly-restrictive"
  | "moderately-restrictive"
  | "minimally-restrictive"
  | "unrestricted";

const highlyRestrictiveSets: ScriptCode[][] = [
  ["Latn", "Hani", "Hira", "Kana"],
  ["Latn", "Hani", "Bopo"],
  ["Latn", "Hani", "Hang"],
];

/** Whether every character of `s` belongs to at least one script of `set` (or to Common/Inherited). */
function coveredBy(s: string, set: ScriptCode[]): boolean {
  return [...s].every((c) => {
    const scripts = scriptsOf(c);
    return scripts === "all" || set.some((x) => scripts.has(x));
  });
}

/**
 * The UTS #39 §5.2 restriction level of `s`. Identifier_Status is not consulted (the runtime has
 * no such data); a character outside the Recommended scripts makes the level "unrestricted".
 * Names and domain labels must be "highly-restrictive" or stricter.
 *
 * @example
 * restrictionLevel("alice") // "ascii"
 * restrictionLevel("иван") // "single-script"
 * restrictionLevel("tanaka田中") // "highly-restrictive"
 * restrictionLevel("p\u0430ypal") // "minimally-restrictive"
 */
export function restrictionLevel(s: string): RestrictionLevel {
  if (/^\p{ASCII}*$/u.test(s)) return "ascii";
  if (unrecommendedChars(s).length > 0) return "unrestricted";
  if (!mixedScript(s)) return "single-script";
  if (highlyRestrictiveSets.some((set) => coveredBy(s, set))) return "highly-restrictive";
  const others = RecommendedScripts.filter((x) => x !== "Latn" && x !== "Cyrl" && x !== "Grek");
  if (others.some((x) => coveredBy(s, ["Latn", x]))) return "moderately-restrictive";
  return "minimally-restrictive";
}

/**
 * The zero of the decimal system of a decimal digit (General_Category Nd), found by walking
 * back to the start of its run: Unicode encodes every decimal system as 10 consecutive code
 * points, and adjacent systems (mathematical digits) as whole multiples of 10.
 */
function digitZero(cp: number): number {
  let start = cp;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return start + Math.floor((cp - start) / 10) * 10;
}

/**
 * True when the decimal digits of `s` come from more than one decimal system (UTS #39 §5.3),
 * such as ASCII `1` with ARABIC-INDIC `١`.
 */
export function mixedDigits(s: string): boolean {
  const zeros = new Set<number>();
  for (const c of s) if (/\p{Nd}/u.test(c)) zeros.add(digitZero(c.codePointAt(0)!));
  return zeros.size > 1;
}
