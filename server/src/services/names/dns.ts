/**
 * DNS lookups for the names service. DNS is the global registry: a brand's domain, its TXT
 * proofs and its SRV endpoints are read from it, through Node's own `dns.promises.Resolver`
 * pointed at the configured servers (`config.dnsServers`, `ip[:port]`; unset: the system's).
 *
 * The one rule callers rely on: an answer is either definite — found, or absent because the
 * server said NXDOMAIN (no such name) or NODATA (the name has no record of that type) — or the
 * lookup throws `DnsLookupError` (SERVFAIL, REFUSED, timeout, connection refused…). "Could not
 * tell" must never be taken for "absent": a brand must not be released, or a proof rejected,
 * because a resolver was down.
 *
 * Answers are cached per (name, type). Node exposes the record TTL only for A and AAAA
 * (`{ ttl: true }`), so A answers (asked by `exists`) honour it and every other type is kept
 * for `defaultTtlMs`, all capped by `maxTtlMs`. Definite negatives are kept for the shorter
 * `negativeTtlMs`; errors are never cached. Concurrent lookups of the same (name, type) share
 * one query.
 *
 * With several servers, the next one is asked only when one does not answer: Node keeps a
 * SERVFAIL or REFUSED answer as final (c-ares' NOCHECKRESP), so list equivalent resolvers.
 */
import { Resolver } from "node:dns/promises";

/** The record types this client asks for. */
export type DnsRecordType = "A" | "TXT" | "SRV" | "NS" | "SOA" | "MX";

/** Why a definite lookup found nothing: no such name at all, or no record of the asked type. */
export type DnsAbsence = "NXDOMAIN" | "NODATA";

export type DnsAnswer<T> =
  | { found: true; records: T[] }
  | {
      found: false;
      reason: DnsAbsence;
    };

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  /** Target host name, without the trailing dot. */
  name: string;
}

/**
 * A lookup that could not tell whether the record exists (SERVFAIL, REFUSED, ETIMEOUT,
 * ECONNREFUSED, …). Retry later; never treat it as "absent".
 */
export class DnsLookupError extends Error {
  override readonly name = "DnsLookupError";
  /** Always true: the same lookup may succeed later. */
  readonly retryable = true;

  constructor(
    /** Node's error code, e.g. `ESERVFAIL`, `EREFUSED`, `ETIMEOUT`, `ECONNREFUSED`. */
    readonly code: string,
    /** The queried name (lower case, without the trailing dot). */
    readonly qname: string,
    readonly qtype: DnsRecordType,
    options?: { cause?: unknown },
  ) {
    super(`DNS ${qtype} lookup of ${qname} could not tell (${code})`, options);
  }
}

export interface DnsClientOptions {
  /** Time to wait for one answer, in ms, before the next try. Default 2000. */
  timeoutMs?: number;
  /** Tries per server before giving up. Default 2. */
  tries?: number;
  /** Cache lifetime of answers whose TTL Node does not expose (all but A), ms. Default 60 000. */
  defaultTtlMs?: number;
  /** Upper bound on any positive cache lifetime, ms. Default 300 000. */
  maxTtlMs?: number;
  /** Cache lifetime of NXDOMAIN / NODATA answers, ms. Default 10 000. */
  negativeTtlMs?: number;
  /** Most (name, type) entries kept; the oldest go first. 0 turns the cache off. Default 10 000. */
  maxEntries?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export interface DnsClient {
  /** TXT records of `name`, each one's character-strings joined and read as UTF-8. */
  txt(name: string): Promise<DnsAnswer<string>>;
  /** IPv4 addresses of `name`. */
  a(name: string): Promise<DnsAnswer<string>>;
  /** SRV records of `name` (e.g. `_callsign._tcp.example.com`), in the order the server gave. */
  srv(name: string): Promise<DnsAnswer<SrvRecord>>;
  /**
   * Whether `name` exists as a domain: it has an NS, SOA, A or MX record. `false` only when every
   * one of those lookups was definitely negative; throws `DnsLookupError` when none was found
   * and at least one could not tell.
   */
  exists(name: string): Promise<boolean>;
  /** Forgets every cached answer. */
  clearCache(): void;
  /** Cancels lookups in flight (they reject with `DnsLookupError` `ECANCELLED`). */
  close(): void;
}

type Outcome<T> = DnsAnswer<T>;

interface CacheEntry {
  expires: number;
  outcome: Outcome<unknown>;
}

/** Node's codes for the two definite negatives; every other code means "could not tell". */
const ABSENCE: Record<string, DnsAbsence> = { ENOTFOUND: "NXDOMAIN", ENODATA: "NODATA" };

/**
 * A DNS client on `servers` (`ip[:port]`, `[ipv6]:port`; default: the system's resolvers).
 *
 * @example
 * const dns = createDnsClient(config.dnsServers);
 * const proof = await dns.txt("_callsign.example.com"); // throws DnsLookupError when unsure
 * if (proof.found && proof.records.includes(expected)) ...
 */
export function createDnsClient(servers?: string[], opts: DnsClientOptions = {}): DnsClient {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const tries = opts.tries ?? 2;
  const defaultTtlMs = opts.defaultTtlMs ?? 60_000;
  const maxTtlMs = opts.maxTtlMs ?? 300_000;
  const negativeTtlMs = opts.negativeTtlMs ?? 10_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;

  const resolver = new Resolver({ timeout: timeoutMs, tries });
  if (servers && servers.length > 0) resolver.setServers(servers);

  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<Outcome<unknown>>>();

  function remember(key: string, outcome: Outcome<unknown>, ttlMs: number): void {
    if (maxEntries <= 0 || ttlMs <= 0) return;
    cache.delete(key);
    while (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { expires: now() + ttlMs, outcome });
  }

  /** One (name, type) lookup: cached, shared while in flight, errors turned into `DnsLookupError`. */
  function lookup<T>(
    rawName: string,
    qtype: DnsRecordType,
    query: (fqdn: string) => Promise<{ records: T[]; ttlMs?: number }>,
  ): Promise<Outcome<T>> {
    const qname = normalizeName(rawName);
    const key = `${qtype} ${qname}`;
    const hit = cache.get(key);
    if (hit) {
      if (hit.expires > now()) return Promise.resolve(hit.outcome as Outcome<T>);
      cache.delete(key);
    }
    const pending = inFlight.get(key);
    if (pending) return pending as Promise<Outcome<T>>;

    // The trailing dot makes the name absolute: no search domain is ever appended.
    const promise = query(`${qname}.`).then(
      ({ records, ttlMs }): Outcome<T> => {
        const outcome: Outcome<T> =
          records.length > 0 ? { found: true, records } : { found: false, reason: "NODATA" };
        const ttl = outcome.found ? Math.min(ttlMs ?? defaultTtlMs, maxTtlMs) : negativeTtlMs;
        remember(key, outcome, ttl);
        return outcome;
      },
      (error: unknown): Outcome<T> => {
        const code = (error as { code?: unknown })?.code;
        const reason = typeof code === "string" ? ABSENCE[code] : undefined;
        if (!reason) {
          throw new DnsLookupError(typeof code === "string" ? code : "EUNKNOWN", qname, qtype, {
            cause: error,
          });
        }
        const outcome: Outcome<T> = { found: false, reason };
        remember(key, outcome, negativeTtlMs);
        return outcome;
      },
    );
    inFlight.set(key, promise);
    const forget = () => inFlight.delete(key);
    promise.then(forget, forget);
    return promise;
  }

  const records = <T>(list: T[]) => ({ records: list });
  const a = (name: string) =>
    lookup(name, "A", async (fqdn) => {
      const answers = await resolver.resolve4(fqdn, { ttl: true });
      return { records: answers.map((r) => r.address), ttlMs: minTtlMs(answers) };
    });
  const ns = (name: string) => lookup(name, "NS", (fqdn) => resolver.resolveNs(fqdn).then(records));
  const soa = (name: string) =>
    lookup(name, "SOA", (fqdn) => resolver.resolveSoa(fqdn).then((r) => records([r])));
  const mx = (name: string) => lookup(name, "MX", (fqdn) => resolver.resolveMx(fqdn).then(records));

  return {
    async txt(name) {
      return lookup(name, "TXT", (fqdn) =>
        resolver.resolveTxt(fqdn).then((txts) => records(txts.map(decodeTxt))),
      );
    },

    a,

    async srv(name) {
      return lookup(name, "SRV", (fqdn) => resolver.resolveSrv(fqdn).then(records));
    },

    async exists(name) {
      // One round trip: the four questions go out together, and one positive answer settles it.
      const results = await Promise.allSettled([ns(name), soa(name), a(name), mx(name)]);
      let uncertain: unknown;
      for (const result of results) {
        if (result.status === "fulfilled") {
          if (result.value.found) return true;
        } else {
          uncertain ??= result.reason;
        }
      }
      if (uncertain !== undefined) throw uncertain;
      return false;
    },

    clearCache: () => cache.clear(),

    close() {
      resolver.cancel();
      cache.clear();
    },
  };
}

/**
 * Node hands TXT bytes over as Latin-1 characters; the record's strings are joined first (a
 * character may straddle two), then read as the UTF-8 they are meant to be.
 */
function decodeTxt(strings: string[]): string {
  return Buffer.from(strings.join(""), "latin1").toString("utf8");
}

function minTtlMs(records: { ttl: number }[]): number | undefined {
  if (records.length === 0) return undefined;
  return Math.min(...records.map((r) => r.ttl)) * 1000;
}

/** Lower case, without the trailing dot; throws `TypeError` for what cannot be a DNS name. */
function normalizeName(name: string): string {
  const n = name.trim().toLowerCase().replace(/\.$/, "");
  const labels = n.split(".");
  if (n.length === 0 || n.length > 253 || labels.some((l) => l.length === 0 || l.length > 63)) {
    throw new TypeError(`not a DNS name: ${JSON.stringify(name)}`);
  }
  return n;
}
