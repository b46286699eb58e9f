/**
 * Finding a peer provider and its keys (spec/federation.md "Discovery"): where its federation
 * API is — the SRV record `_callsign._tcp.<server name>` (lowest priority first), else the server
 * name on port 443 — and which keys verify its signatures: the certificates it publishes at
 * /.well-known/callsign/server that name it, are valid now and are pinned by its
 * `_callsign-key` TXT records. The keys are cached here (DNS is asked afresh each time they are
 * read); a key ID not found reads them again (rotation), at most every few seconds per peer.
 */
import type { KeyObject } from "node:crypto";
import {
  FEDERATION_SRV_LABEL,
  FederationRoutes,
  KEY_PIN_LABEL,
  parsePinRecord,
  type ServerDiscoveryView,
} from "../../../protocol/federation/discovery.js";
import type { DnsClient } from "../../../server/src/services/names/dns.js";
import { certificateProblem, readCertificate } from "../identity/certificate.js";

export interface PeerDirectoryOptions {
  /** Providers refused either way, and (if set) the only ones talked to. */
  block?: string[];
  allow?: string[];
  dns: DnsClient;
  /** Plain HTTP to peers: only for test networks on loopback (CALLSIGN_FEDERATION_PLAIN_HTTP). */
  plainHttp: boolean;
  /** How long a peer's keys are trusted before they are read again. */
  cacheMs?: number;
}

/** A peer that cannot be reached or trusted, with the reason. */
export class PeerUnavailable extends Error {}

interface PeerKeys {
  keys: Map<string, KeyObject>;
  until: number;
  readAt: number;
}

/** A key ID not among a peer's keys reads them again, but not more often than this. */
const REFRESH_MIN_MS = 5_000;

export class PeerDirectory {
  private readonly cache = new Map<string, PeerKeys>();

  constructor(private readonly opts: PeerDirectoryOptions) {}

  /** Whether the operator lets this provider talk to `serverName` (block and allow lists). */
  permits(serverName: string): boolean {
    const name = serverName.toLowerCase();
    if (this.opts.block?.includes(name)) return false;
    return !this.opts.allow || this.opts.allow.includes(name);
  }

  /** The base URL of the peer's federation API. */
  async locate(serverName: string): Promise<string> {
    const scheme = this.opts.plainHttp ? "http" : "https";
    const srv = await this.opts.dns.srv(`${FEDERATION_SRV_LABEL}.${serverName}`).catch(() => undefined);
    const best = srv?.found
      ? [...srv.records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0]
      : undefined;
    const host = best ? best.name.replace(/\.$/, "") : serverName;
    const port = best ? best.port : 443;
    // Plain HTTP is for loopback test networks: connect to the address our resolver gives.
    const address = this.opts.plainHttp ? await this.address(host) : host;
    return `${scheme}://${address}:${port}`;
  }

  /** The public key a signature's key ID (`<server name>/<fingerprint>`) names, if it is the peer's. */
  async keyFor(keyId: string): Promise<KeyObject | undefined> {
    const slash = keyId.indexOf("/");
    if (slash <= 0) return undefined;
    const [serverName, fingerprint] = [keyId.slice(0, slash), keyId.slice(slash + 1)];
    let peer = await this.keys(serverName);
    if (!peer.keys.has(fingerprint) && Date.now() - peer.readAt >= REFRESH_MIN_MS) {
      peer = await this.keys(serverName, true);
    }
    return peer.keys.get(fingerprint);
  }

  /** Who a key ID says it is (its server name). */
  static originOf(keyId: string): string {
    return keyId.slice(0, keyId.indexOf("/"));
  }

  /** Cancels lookups in flight (at shutdown). */
  close(): void {
    this.opts.dns.close();
  }

  private async keys(serverName: string, refresh = false): Promise<PeerKeys> {
    const cached = this.cache.get(serverName);
    if (cached && !refresh && cached.until > Date.now()) return cached;
    const pins = await this.opts.dns.txt(`${KEY_PIN_LABEL}.${serverName}`).catch((err: Error) => {
      throw new PeerUnavailable(`DNS could not tell ${serverName}'s key pins: ${err.message}`);
    });
    const pinned = pins.found ? pins.records.map(parsePinRecord).filter((p): p is string => !!p) : [];
    const base = await this.locate(serverName);
    let doc: ServerDiscoveryView;
    try {
      const res = await fetch(`${base}${FederationRoutes.wellKnownServer}`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      doc = (await res.json()) as ServerDiscoveryView;
    } catch (err) {
      throw new PeerUnavailable(`${serverName}'s certificates could not be read: ${(err as Error).message}`);
    }
    const keys = new Map<string, KeyObject>();
    for (const c of doc.certificates ?? []) {
      const cert = await readCertificate(c.certificate).catch(() => undefined);
      if (cert && !certificateProblem(cert, serverName, pinned)) keys.set(cert.fingerprint, cert.publicKey);
    }
    const entry = { keys, until: Date.now() + (this.opts.cacheMs ?? 300_000), readAt: Date.now() };
    this.cache.set(serverName, entry);
    return entry;
  }

  private async address(host: string): Promise<string> {
    const a = await this.opts.dns.a(host).catch(() => undefined);
    return a?.found && a.records[0] ? a.records[0] : host;
  }
}
