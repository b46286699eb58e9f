/**
 * Asking DNS servers one question: UDP first, TCP when the answer was truncated (RFC 7766), the
 * configured servers in turn. Every query has a random ID and its own socket (a fresh random
 * source port), and a reply counts only when it comes from the server asked and repeats our ID
 * and question; anything else is ignored, as a spoofed packet would be.
 *
 * A server that answers SERVFAIL, REFUSED, NOTIMP or FORMERR is not asked again for this
 * question and the next one is; one that does not answer is asked again in the next round
 * (`tries` rounds). Only when no server answered definitely does the exchange fail, with the
 * most telling reason: a server's answer beats a time-out.
 */
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { connect, isIP } from "node:net";
import { decodeMessage, encodeQuery, isResponse, Rcode, type DnsMessage } from "./dns-message.js";

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

export interface ExchangeOptions {
  timeoutMs: number;
  tries: number;
  signal: AbortSignal;
}

/** The first definite answer (NOERROR or NXDOMAIN) to (`name`, `type`); throws `TransportError`. */
export async function exchange(
  servers: DnsServer[],
  name: string,
  type: number,
  opts: ExchangeOptions,
): Promise<DnsMessage> {
  let answered: TransportError | undefined;
  let unanswered: TransportError | undefined;
  const done = new Set<DnsServer>();
  for (let round = 0; round < opts.tries && done.size < servers.length; round++) {
    for (const server of servers) {
      if (done.has(server)) continue;
      if (opts.signal.aborted) throw new TransportError("ECANCELLED");
      try {
        const message = await ask(server, name, type, opts);
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

/** One server's answer, over TCP when UDP's was truncated, without EDNS when it objects to it. */
async function ask(
  server: DnsServer,
  name: string,
  type: number,
  opts: ExchangeOptions,
): Promise<DnsMessage> {
  const once = async (edns: boolean) => {
    const id = randomInt(0x10000);
    const query = encodeQuery(id, name, type, edns);
    const accept = (buf: Buffer) => answerTo(buf, id, name, type);
    const message = await overUdp(server, query, accept, opts);
    return message.tc ? overTcp(server, query, accept, opts) : message;
  };
  const message = await once(true);
  // RFC 6891 §7: a server that does not know EDNS answers FORMERR; ask it the old way.
  return message.rcode === Rcode.FormErr ? once(false) : message;
}

/** The decoded reply when `buf` answers our question with our ID; else undefined (ignore it). */
function answerTo(buf: Buffer, id: number, name: string, type: number): DnsMessage | undefined {
  if (!isResponse(buf) || buf.readUInt16BE(0) !== id) return undefined;
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

type Accept = (buf: Buffer) => DnsMessage | undefined;

/**
 * Runs one exchange on a socket the caller opens: settles once, on the answer, the time-out,
 * the socket's error or cancellation, and always closes the socket.
 */
function attempt(
  opts: ExchangeOptions,
  open: (settle: (error: TransportError | undefined, message?: DnsMessage) => void) => () => void,
): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    let closeSocket = () => {};
    let settled = false;
    const settle = (error: TransportError | undefined, message?: DnsMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener("abort", cancel);
      closeSocket();
      if (error) reject(error);
      else resolve(message!);
    };
    const cancel = () => settle(new TransportError("ECANCELLED"));
    const timer = setTimeout(() => settle(new TransportError("ETIMEOUT")), opts.timeoutMs);
    opts.signal.addEventListener("abort", cancel, { once: true });
    closeSocket = open(settle);
    if (opts.signal.aborted) cancel();
  });
}

/** ECONNREFUSED (nothing listens: the ICMP error a connected socket reports), EHOSTUNREACH, … */
const networkError = (err: NodeJS.ErrnoException) => new TransportError(err.code ?? "ECONNREFUSED");

function overUdp(server: DnsServer, query: Buffer, accept: Accept, opts: ExchangeOptions) {
  return attempt(opts, (settle) => {
    const socket = createSocket(server.family === 6 ? "udp6" : "udp4");
    socket.on("error", (err) => settle(networkError(err)));
    socket.on("message", (buf) => {
      const message = accept(buf);
      if (message) settle(undefined, message);
    });
    // A connected socket takes datagrams from the server asked only, and reports its ICMP errors.
    socket.connect(server.port, server.host, () => {
      socket.send(query, (err) => err && settle(networkError(err)));
    });
    return () => {
      try {
        socket.close();
      } catch {
        // already closed
      }
    };
  });
}

function overTcp(server: DnsServer, query: Buffer, accept: Accept, opts: ExchangeOptions) {
  return attempt(opts, (settle) => {
    const socket = connect({ host: server.host, port: server.port, noDelay: true });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.length);
    socket.write(Buffer.concat([length, query]));
    let received = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      const message = accept(received.subarray(2, 2 + received.readUInt16BE(0)));
      settle(message ? undefined : new TransportError("EBADRESP"), message);
    });
    socket.on("error", (err) => settle(networkError(err)));
    socket.on("close", () => settle(new TransportError("ECONNRESET")));
    return () => socket.destroy();
  });
}
