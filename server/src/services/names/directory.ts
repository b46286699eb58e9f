/**
 * Directory search for the dial box: names (user names now, service ids with the services)
 * and DNS-verified domains, by exact handle, by prefix, and by near spelling — compared on
 * look-alike keys, so `g00gle` finds `google` and Cyrillic letters find their Latin twins.
 * Verified domains are marked; exact matches come first, then prefixes, then near spellings.
 */
import type { DirectoryEntry } from "../../../../protocol/callsign/names.js";
import { normalise } from "../../../../protocol/names/normalise.js";
import { nameKey } from "../../../../protocol/names/skeleton.js";
import type { Sql } from "../../storage/database.js";

const CANDIDATES = 200;

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [
    i,
    ...Array<number>(y.length).fill(0),
  ]);
  for (let j = 1; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class Directory {
  constructor(private readonly sql: Sql) {}

  async search(query: string, limit = 20): Promise<DirectoryEntry[]> {
    let q: string;
    try {
      q = normalise(query).trim();
    } catch {
      return [];
    }
    if (q.length < 2) return [];
    const key = nameKey(q);
    const names: {
      name: string;
      kind: "user" | "service";
      skeleton: string;
      display_name: string | null;
      number: string | null;
    }[] = await this.sql.query(
      `SELECT n.name, n.kind, n.skeleton, a.display_name, a.number::text AS number
         FROM names n JOIN accounts a ON a.user_id = n.holder_id
         WHERE n.state IN ('active', 'grace')
           AND (n.name LIKE $1 ESCAPE '\\' OR n.skeleton LIKE $2 ESCAPE '\\' OR n.skeleton LIKE $3 ESCAPE '\\')
         ORDER BY n.name LIMIT ${CANDIDATES}`,
      [`${escapeLike(q)}%`, `${escapeLike(key)}%`, `${escapeLike([...key].slice(0, 2).join(""))}%`],
    );
    const domains: { domain: string; display_name: string | null; number: string | null }[] =
      await this.sql.query(
        `SELECT c.domain, a.display_name, a.number::text AS number
       FROM domain_claims c JOIN accounts a ON a.user_id = c.holder_id
       WHERE c.state IN ('verified', 'failing', 'grace') AND c.domain LIKE $1 ESCAPE '\\'
       ORDER BY c.domain LIMIT ${CANDIDATES}`,
        [`${escapeLike(q)}%`],
      );
    const hits: (DirectoryEntry & { rank: number })[] = [];
    const near = key.length <= 4 ? 1 : 2;
    for (const n of names) {
      const match =
        n.name === q || n.skeleton === key
          ? "exact"
          : n.name.startsWith(q) || n.skeleton.startsWith(key)
            ? "prefix"
            : editDistance(n.skeleton, key) <= near
              ? "fuzzy"
              : undefined;
      if (!match) continue;
      hits.push({
        kind: n.kind,
        handle: n.name,
        display_name: n.display_name,
        number: n.number,
        verified: false,
        match,
        rank: 0,
      });
    }
    for (const d of domains) {
      const match = d.domain === q ? "exact" : "prefix";
      hits.push({
        kind: "domain",
        handle: d.domain,
        display_name: d.display_name,
        number: d.number,
        verified: true,
        match,
        rank: 0,
      });
    }
    const order = { exact: 0, prefix: 1, fuzzy: 2 };
    return hits
      .sort(
        (a, b) =>
          order[a.match] - order[b.match] ||
          Number(b.verified) - Number(a.verified) ||
          a.handle.localeCompare(b.handle),
      )
      .slice(0, limit)
      .map(({ rank: _rank, ...e }) => e);
  }
}
