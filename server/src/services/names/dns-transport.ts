/**
 * Asking DNS servers one question: UDP first (dns-udp.ts), TCP when the answer was truncated
 * (RFC 7766), the configured servers in turn. Every query has a random ID, and a reply counts
 * only when it comes from the server asked and repeats our ID and question; anything else is
 * ignored, as a spoofed packet would be.
 *
 * A server that answers SERVFAIL, REFUSED, NOTIMP or FORMERR is not asked again for this
 * question and the next one is; one that does not answer is asked again in the next round
 * (`tries` rounds). Only when no server answered definitely does the exchange fail, with the
 * most telling reason: a server's answer beats a time-out.
 */
import { randomInt } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { setMaxListeners } from "node:events";
import { connect, isIP } from "node:net";
import { decodeMessage, encodeQuery, isResponse, Rcode, type DnsMessage } from "./dns-message.js";
import { UdpSockets } from "./dns-udp.js";

export interface DnsServer {
  host: string;
  port: number;
  family: 4 | 6;
}

/** Why no server answered definitely; `code` in Node's words (`ETIMEOUT`, `EREFUSED`, …). */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(readonly code: string) {
    super(`DNS exchange failed (${code})`);
  }
}

/** Rcodes that mean "this server could not tell" (NOERROR and NXDOMAIN are definite). */
const RCODE_FAILURES: Record<number, string> = {
  [Rcode.FormErr]: "EFORMERR",
  [Rcode.ServFail]: "ESERVFAIL",
  [Rcode.NotImp]: "ENOTIMP",
  [Rcode.Refused]: "EREFUSED",
};

/**
 * `ip[:port]` / `[ipv6]:port` entries, validated as Node's resolver validates them; none: the
 * system's resolvers (/etc/resolv.conf), or 127.0.0.1 when it lists none.
 */
export function parseServers(servers?: string[]): DnsServer[] {
  const resolver = new Resolver();
  if (servers && servers.length > 0) resolver.setServers(servers);
  const listed = resolver.getServers().map((entry): DnsServer => {
    const bracketed = /^\[(.+)\]:(\d+)$/.exec(entry);
    if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]), family: 6 };
    const family = isIP(entry);
    if (family !== 0) return { host: entry, port: 53, family: family as 4 | 6 };
    const colon = entry.lastIndexOf(":");
    return { host: entry.slice(0, colon), port: Number(entry.slice(colon + 1)), family: 4 };
  });
  return listed.length > 0 ? listed : [{ host: "127.0.0.1", port: 53, family: 4 }];
}

export interface TransportOptions {
  /** Time to wait for one answer, in ms. */
  timeoutMs: number;
  /** Rounds over the servers that did not answer. */
  tries: number;
}

/** Queries to `servers`; `close()` cancels those in flight and closes the sockets. */
export class DnsTransport {
  private readonly cancel = new AbortController();
  private readonly udp = new Map<DnsServer, UdpSockets>();

  constructor(
    private readonly servers: DnsServer[],
    private readonly opts: TransportOptions,
  ) {
    setMaxListeners(Infinity, this.cancel.signal); // one listener per query in flight
    for (const s of servers) this.udp.set(s, new UdpSockets(s.host, s.port, s.family));
  }

  /** The first definite answer (NOERROR or NXDOMAIN) to (`name`, `type`); throws `TransportError`. */
  async exchange(name: string, type: number): Promise<DnsMessage> {
    let answered: TransportError | undefined;
    let unanswered: TransportError | undefined;
    const done = new Set<DnsServer>();
    for (let round = 0; round < this.opts.tries && done.size < this.servers.length; round++) {
      for (const server of this.servers) {
        if (done.has(server)) continue;
        if (this.cancel.signal.aborted) throw new TransportError("ECANCELLED");
        try {
          const message = await this.ask(server, name, type);
          if (message.rcode === Rcode.NoError || message.rcode === Rcode.NXDomain) return message;
          answered ??= new TransportError(RCODE_FAILURES[message.rcode] ?? "EBADRESP");
          done.add(server);
        } catch (err) {
          if (!(err instanceof TransportError) || err.code === "ECANCELLED") throw err;
          unanswered = err;
          // Nothing listens there (ICMP port unreachable): asking again will not help.
          if (err.code !== "ETIMEOUT") done.add(server);
        }
      }
    }
    throw answered ?? unanswered ?? new TransportError("ETIMEOUT");
  }

  close(): void {
    this.cancel.abort();
    for (const sockets of this.udp.values()) sockets.close();
  }

  /** One server's answer, over TCP when UDP's was truncated, without EDNS when it objects to it. */
  private async ask(server: DnsServer, name: string, type: number): Promise<DnsMessage> {
    const once = async (edns: boolean) => {
      const query = (id: number) => encodeQuery(id, name, type, edns);
      const message = await this.attempt((settle) =>
        this.udp.get(server)!.send(query, {
          reply: (buf) => {
            const answer = answerTo(buf, name, type);
            if (answer) settle(undefined, answer);
            return answer !== undefined;
          },
          fail: (err) => settle(networkError(err)),
        }),
      );
      return message.tc ? this.overTcp(server, query, name, type) : message;
    };
    const message = await once(true);
    // RFC 6891 §7: a server that does not know EDNS answers FORMERR; ask it the old way.
    return message.rcode === Rcode.FormErr ? once(false) : message;
  }

  private overTcp(server: DnsServer, query: (id: number) => Buffer, name: string, type: number) {
    return this.attempt((settle) => {
      const id = randomInt(0x10000);
      const datagram = query(id);
      const socket = connect({ host: server.host, port: server.port, noDelay: true });
      const length = Buffer.alloc(2);
      length.writeUInt16BE(datagram.length);
      socket.write(Buffer.concat([length, datagram]));
      let received = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
        const reply = received.subarray(2, 2 + received.readUInt16BE(0));
        const answer = reply.readUInt16BE(0) === id ? answerTo(reply, name, type) : undefined;
        settle(answer ? undefined : new TransportError("EBADRESP"), answer);
      });
      socket.on("error", (err) => settle(networkError(err)));
      socket.on("close", () => settle(new TransportError("ECONNRESET")));
      return () => socket.destroy();
    });
  }

  /**
   * Runs one exchange that `start` begins: settles once — on the answer, the time-out, a
   * network error or cancellation — and then calls the cleanup `start` returned.
   */
  private attempt(
    start: (settle: (error: TransportError | undefined, message?: DnsMessage) => void) => () => void,
  ): Promise<DnsMessage> {
    const signal = this.cancel.signal;
    return new Promise((resolve, reject) => {
      let cleanup: (() => void) | undefined;
      let settled = false;
      const settle = (error: TransportError | undefined, message?: DnsMessage) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", cancel);
        cleanup?.();
        if (error) reject(error);
        else resolve(message!);
      };
      const cancel = () => settle(new TransportError("ECANCELLED"));
      const timer = setTimeout(() => settle(new TransportError("ETIMEOUT")), this.opts.timeoutMs);
      signal.addEventListener("abort", cancel, { once: true });
      const stop = start(settle);
      if (settled) stop();
      else cleanup = stop;
      if (signal.aborted) cancel();
    });
  }
}

/** The decoded reply when `buf` answers our question; else undefined (ignore it). */
function answerTo(buf: Buffer, name: string, type: number): DnsMessage | undefined {
  if (!isResponse(buf)) return undefined;
  try {
    const message = decodeMessage(buf);
    const q = message.question;
    // FORMERR replies may omit the question.
    if (!q) return message.rcode === Rcode.FormErr ? message : undefined;
    return q.name === name && q.type === type ? message : undefined;
  } catch {
    return undefined;
  }
}

/** ECONNREFUSED (nothing listens: the ICMP error a connected socket reports), EHOSTUNREACH, … */
const networkError = (err: NodeJS.ErrnoException) => new TransportError(err.code ?? "ECONNREFUSED");
