/**
 * Brand detection: a name is a brand when `<name>.<tld>` is a registered domain for one of the
 * configured TLDs (DNS answers NS/SOA/A/MX for it), or when its skeleton matches a trademark of
 * the provider's list. Results are cached for a while; a DNS failure is never read as "not a
 * brand" — the check fails with IO_CALLSIGN_BRAND_CHECK_FAILED and the caller tries again.
 */
import { readFile } from "node:fs/promises";
import type { BrandReason } from "../../../../protocol/callsign/names.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { toASCIIDomain } from "../../../../protocol/names/normalise.js";

/** Existence of a domain: true/false when DNS said so; throws when it could not tell. */
export type DomainExists = (domain: string) => Promise<boolean>;

const CACHE_MS = 60 * 60_000;

export class BrandDetector {
  private readonly cache = new Map<string, { at: number; reasons: BrandReason[] }>();

  constructor(
    private readonly exists: DomainExists,
    private readonly tlds: string[],
    /** Trademarks by look-alike key (`nameKey` of the normalised mark). */
    private readonly trademarks: Map<string, string>,
    private readonly skeleton: (s: string) => string,
  ) {}

  /** Loads a trademark list: one mark per line; blank lines and `#` comments are skipped. */
  static async loadTrademarks(
    file: string | undefined,
    skeleton: (s: string) => string,
  ): Promise<Map<string, string>> {
    const marks = new Map<string, string>();
    if (!file) return marks;
    for (const line of (await readFile(file, "utf8")).split("\n")) {
      const mark = line.replace(/#.*/, "").trim();
      if (mark) marks.set(skeleton(mark), mark);
    }
    return marks;
  }

  /** Why `name` (normalised, ASCII or Unicode) is a brand; empty when it is not. */
  async reasons(name: string, now = Date.now()): Promise<BrandReason[]> {
    const hit = this.cache.get(name);
    if (hit && now - hit.at < CACHE_MS) return hit.reasons;
    const reasons: BrandReason[] = [];
    const mark = this.trademarks.get(this.skeleton(name));
    if (mark) reasons.push({ kind: "trademark", value: mark });
    const found = await Promise.all(
      brandDomains(name, this.tlds).map(async (domain) => {
        try {
          return (await this.exists(domain)) ? domain : undefined;
        } catch {
          throw new ProtocolError(
            "IO_CALLSIGN_BRAND_CHECK_FAILED",
            `Could not check whether ${domain} exists`,
          );
        }
      }),
    );
    for (const d of found) if (d) reasons.push({ kind: "domain", value: d });
    this.cache.set(name, { at: now, reasons });
    return reasons;
  }
}

/** The DNS label a name would be (a Unicode name as its A-label), or undefined when it cannot be one. */
export function domainLabel(name: string): string | undefined {
  if (!/^[\p{L}\p{N}-]+$/u.test(name) || name.startsWith("-") || name.endsWith("-")) return undefined;
  try {
    return toASCIIDomain(name);
  } catch {
    return undefined;
  }
}

/** The domains whose existence makes `name` a brand, and whose verified owner may claim it. */
export function brandDomains(name: string, tlds: string[]): string[] {
  const label = domainLabel(name);
  return label ? tlds.map((tld) => `${label}.${tld}`) : [];
}
