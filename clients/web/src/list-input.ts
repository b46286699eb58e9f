/**
 * Lists typed into one field: a routing rule's keywords, separated by commas, and a widget's
 * sites, one per line. Blank entries are left out; what remains is sent as typed, for the
 * server to check.
 */

/**
 * The keywords of a routing rule.
 *
 * @example keywordsOf("refund, money back ,") // ["refund", "money back"]
 */
export function keywordsOf(text: string): string[] {
  return text
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/**
 * The origins of a widget's sites, one per line.
 *
 * @example originsOf("https://a.example\n\n https://b.example ") // ["https://a.example", "https://b.example"]
 */
export function originsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
