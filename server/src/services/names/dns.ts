/**
 * DNS lookups for the names service. DNS is the global registry: a brand's domain, its TXT
 * proofs and its SRV endpoints are read from it, through the configured servers
 * (`config.dnsServers`, `ip[:port]`; unset: the system's), which are asked to recurse.
 *
 * The one rule callers rely on: an answer is either definite — found, or absent because the
 * server said NXDOMAIN (no such name) or NODATA (the name has no record of that type) — or the
 * lookup throws `DnsLookupError` (SERVFAIL, REFUSED, timeout, connection refused, a referral…).
 * "Could not tell" must never be taken for "absent": a brand must not be released, or a proof
 * rejected, because a resolver was down.
 *
 * Answers are cached per (name, type) for as long as DNS says they hold: a found answer for the
 * smallest TTL of its records (and of the CNAMEs that led to them), capped by `maxTtlMs`; a
 * negative one as RFC 2308 §5 says — the smaller of the SOA record's TTL and its MINIMUM field,
 * from the answer's authority section — capped by `maxNegativeTtlMs`, and not at all without a
 * SOA. Errors are never cached. The cache keeps `maxEntries` answers, the least recently used
 * going first, and concurrent lookups of one (name, type) share one query. `forget` drops what
 * is known of a domain when this provider learns it changed (a claim verified or released).
 *
 * Why our own wire client (dns-message.ts, dns-transport.ts, dns-udp.ts) rather than Node's
 * resolver: c-ares, under `dns.Resolver`, reports TTLs for A and AAAA only (nodejs/node#39399,
 * #39528) and never the SOA of a negative answer, so TXT and SRV answers — the ones handle
 * resolution reads — could only be kept for a guessed time, longer than their owner allows when
 * the record's TTL is short. The price: a query that reaches the server costs about twice the
 * CPU of c-ares's (some 40 µs against 20 on the bench machine, warmed up); a cached answer
 * costs none. The server list and its validation still come from Node's resolver.
 */
import { TtlCache } from "./dns-cache.js";
import { Rcode, RecordTypeCode, type DnsMessage, type SoaData, type SrvData } from "./dns-message.js";
import { DnsTransport, parseServers, TransportError } from "./dns-transport.js";

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
  /** Rounds over the servers that did not answer before giving up. Default 2. */
  tries?: number;
  /** Upper bound on how long a found answer is kept, whatever its TTL, ms. Default 300 000. */
  maxTtlMs?: number;
  /** Upper bound on how long an NXDOMAIN / NODATA answer is kept, ms. Default 10 000. */
  maxNegativeTtlMs?: number;
  /** Most (name, type) answers kept; the least recently used go first. 0: no cache. Default 10 000. */
  maxEntries?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** What the cache did, since the client was made (the `callsign_dns_*` metrics). */
export interface DnsCacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that joined an identical query already in flight. */
  shared: number;
  /** Lookups that sent a query. */
  misses: number;
  /** Answers kept now. */
  entries: number;
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
  /**
   * Forgets the cached answers for `domain` and every name under it (its `_callsign` records),
   * and does not keep the answers of queries in flight now: the next lookups ask again.
   */
  forget(domain: string): void;
  /** Forgets every cached answer. */
  clearCache(): void;
  stats(): DnsCacheStats;
  /** Cancels lookups in flight (they reject with `DnsLookupError` `ECANCELLED`). */
  close(): void;
}

interface Interpreted<T> {
  outcome: DnsAnswer<T>;
  /** How long the answer may be kept, in seconds (0: not at all). */
  ttl: number;
}

const CLASS_IN = 1;

/** Readers of the RDATA of the types this client returns; NS/SOA/MX are only counted. */
const READ = {
  A: (data: unknown) => data as string,
  TXT: (data: unknown) => data as string,
  SRV: (data: unknown): SrvRecord => {
    const { priority, weight, port, target } = data as SrvData;
    return { priority, weight, port, name: target };
  },
  NS: (data: unknown) => data,
  SOA: (data: unknown) => data,
  MX: (data: unknown) => data,
} satisfies Record<DnsRecordType, (data: unknown) => unknown>;

type Read = typeof READ;
type RecordOf<K extends DnsRecordType> = ReturnType<Read[K]>;

/**
 * A DNS client on `servers` (`ip[:port]`, `[ipv6]:port`; default: the system's resolvers).
 *
 * @example
 * const dns = createDnsClient(config.dnsServers);
 * const proof = await dns.txt("_callsign.example.com"); // throws DnsLookupError when unsure
 * if (proof.found && proof.records.includes(expected)) ...
 */
export function createDnsClient(servers?: string[], opts: DnsClientOptions = {}): DnsClient {
  const transport = new DnsTransport(parseServers(servers), {
    timeoutMs: opts.timeoutMs ?? 2000,
    tries: opts.tries ?? 2,
  });
  const maxTtlMs = opts.maxTtlMs ?? 300_000;
  const maxNegativeTtlMs = opts.maxNegativeTtlMs ?? 10_000;
  const cache = new TtlCache<DnsAnswer<unknown>>(opts.maxEntries ?? 10_000, opts.now);
  const inFlight = new Map<string, Promise<DnsAnswer<unknown>>>();
  const counts = { hits: 0, shared: 0, misses: 0 };
  /** Moved by `forget`: an answer to a query sent before is not kept. */
  let generation = 0;

  /** One (name, type) lookup: cached, shared while in flight, errors turned into `DnsLookupError`. */
  function lookup<K extends DnsRecordType>(rawName: string, qtype: K): Promise<DnsAnswer<RecordOf<K>>> {
    type T = RecordOf<K>;
    const qname = normalizeName(rawName);
    const key = `${qtype} ${qname}`;
    const hit = cache.get(key);
    if (hit) {
      counts.hits++;
      return Promise.resolve(hit as DnsAnswer<T>);
    }
    const pending = inFlight.get(key);
    if (pending) {
      counts.shared++;
      return pending as Promise<DnsAnswer<T>>;
    }
    counts.misses++;
    const sent = generation;
    const promise = transport.exchange(qname, RecordTypeCode[qtype]).then(
      (message) => {
        const { outcome, ttl } = interpret(message, qname, qtype);
        const capMs = outcome.found ? maxTtlMs : maxNegativeTtlMs;
        if (generation === sent) cache.set(key, outcome, Math.min(ttl * 1000, capMs));
        return outcome;
      },
      (error: unknown) => {
        if (!(error instanceof TransportError)) throw error;
        throw new DnsLookupError(error.code, qname, qtype, { cause: error });
      },
    );
    inFlight.set(key, promise);
    const done = () => {
      if (inFlight.get(key) === promise) inFlight.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  return {
    txt: async (name) => lookup(name, "TXT"),
    a: async (name) => lookup(name, "A"),
    srv: async (name) => lookup(name, "SRV"),

    async exists(name) {
      // One round trip: the four questions go out together, and one positive answer settles it.
      const types = ["NS", "SOA", "A", "MX"] as const;
      const results = await Promise.allSettled(types.map((t) => lookup(name, t)));
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

    forget(domain) {
      const name = normalizeName(domain);
      const under = (key: string) => {
        const qname = key.slice(key.indexOf(" ") + 1);
        return qname === name || qname.endsWith(`.${name}`);
      };
      generation++;
      cache.deleteWhere(under);
      for (const key of [...inFlight.keys()]) if (under(key)) inFlight.delete(key);
    },

    clearCache() {
      generation++;
      cache.clear();
      inFlight.clear();
    },

    stats: () => ({ ...counts, entries: cache.size }),

    close() {
      transport.close();
      cache.clear();
    },
  };
}

/**
 * The records of `qtype` that answer `qname` — through the CNAME chain the server followed — or
 * the definite absence, each with how long it may be kept; throws for a reply that cannot tell.
 */
function interpret<K extends DnsRecordType>(
  message: DnsMessage,
  qname: string,
  qtype: K,
): Interpreted<RecordOf<K>> {
  const code = RecordTypeCode[qtype];
  const inClass = message.answers.filter((r) => r.class === CLASS_IN);
  let owner = qname;
  let ttl = Infinity;
  for (let hops = 0; hops < 16; hops++) {
    const alias = inClass.find((r) => r.name === owner && r.type === RecordTypeCode.CNAME);
    if (!alias) break;
    ttl = Math.min(ttl, alias.ttl);
    owner = alias.data as string;
  }
  const records = inClass.filter((r) => r.name === owner && r.type === code);
  if (records.length > 0) {
    const read = READ[qtype] as (data: unknown) => RecordOf<K>;
    return {
      outcome: { found: true, records: records.map((r) => read(r.data)) },
      ttl: Math.min(ttl, ...records.map((r) => r.ttl)),
    };
  }
  const soa = message.authority.find((r) => r.type === RecordTypeCode.SOA);
  // A referral (no SOA, not authoritative, NS records to ask instead) says nothing of the name.
  if (!soa && !message.aa && message.authority.some((r) => r.type === RecordTypeCode.NS)) {
    throw new DnsLookupError("EBADRESP", qname, qtype);
  }
  return {
    outcome: { found: false, reason: message.rcode === Rcode.NXDomain ? "NXDOMAIN" : "NODATA" },
    ttl: soa ? Math.min(ttl, soa.ttl, (soa.data as SoaData).minimum) : 0,
  };
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
