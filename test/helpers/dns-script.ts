/**
 * Test helper: DNS replies built byte by byte, and a server on 127.0.0.1 (UDP and TCP, one
 * port) that answers each query as the test scripts it. For what a real server (Knot, in
 * dns-server.ts) will not send on demand: referrals, negative answers without SOA, replies with
 * a wrong ID, truncation, FORMERR to EDNS, malformed messages. `close()` stops it.
 */
import { createSocket } from "node:dgram";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { DnsLookupError } from "../../server/src/services/names/dns.js";

export const T = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, SRV: 33 } as const;

export interface RecordSpec {
  name: string;
  type: number;
  ttl?: number;
  rdata: Buffer;
}

/** A name in wire form, uncompressed. */
export function wireName(name: string): Buffer {
  const labels = name === "" ? [] : name.replace(/\.$/, "").split(".");
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export const rdata = {
  a: (ip: string) => Buffer.from(ip.split(".").map(Number)),
  txt: (...strings: (string | Buffer)[]) =>
    Buffer.concat(
      strings.flatMap((s) => {
        const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
        return [Buffer.from([b.length]), b];
      }),
    ),
  name: (n: string) => wireName(n),
  srv: (priority: number, weight: number, port: number, target: string) =>
    Buffer.concat([u16(priority), u16(weight), u16(port), wireName(target)]),
  soa: (minimum: number) =>
    Buffer.concat([
      wireName("ns.script.test"),
      wireName("hostmaster.script.test"),
      u32(1),
      u32(60),
      u32(60),
      u32(3600),
      u32(minimum),
    ]),
};

export interface Query {
  id: number;
  name: string;
  type: number;
  /** Whether it carried an EDNS OPT record. */
  edns: boolean;
  via: "udp" | "tcp";
  /** The asker's source port. */
  port: number;
}

export interface ReplyOptions {
  rcode?: number;
  aa?: boolean;
  tc?: boolean;
  /** Another ID than the query's (a spoofed or stray reply). */
  id?: number;
  answers?: RecordSpec[];
  authority?: RecordSpec[];
}

/** A reply to `q` with the question repeated. */
export function reply(q: Query, o: ReplyOptions = {}): Buffer {
  const flags = 0x8000 | 0x0100 | 0x0080 | (o.aa ? 0x0400 : 0) | (o.tc ? 0x0200 : 0) | (o.rcode ?? 0);
  const answers = o.answers ?? [];
  const authority = o.authority ?? [];
  const record = (r: RecordSpec) =>
    Buffer.concat([wireName(r.name), u16(r.type), u16(1), u32(r.ttl ?? 60), u16(r.rdata.length), r.rdata]);
  return Buffer.concat([
    u16(o.id ?? q.id),
    u16(flags),
    u16(1),
    u16(answers.length),
    u16(authority.length),
    u16(0),
    wireName(q.name),
    u16(q.type),
    u16(1),
    ...answers.map(record),
    ...authority.map(record),
  ]);
}

function parseQuery(buf: Buffer, via: "udp" | "tcp", port: number): Query {
  const labels: string[] = [];
  let at = 12;
  while (buf[at]! > 0) {
    labels.push(buf.toString("latin1", at + 1, at + 1 + buf[at]!));
    at += 1 + buf[at]!;
  }
  return {
    id: buf.readUInt16BE(0),
    name: labels.join("."),
    type: buf.readUInt16BE(at + 1),
    edns: buf.readUInt16BE(10) > 0,
    via,
    port,
  };
}

export interface ScriptedDns {
  servers: string[];
  /** Every query received, in order. */
  queries: Query[];
  close(): Promise<void>;
}

/** Answers each query with what `script` returns: one datagram, several, or none (silence). */
export async function startScriptedDns(
  script: (q: Query) => Buffer | Buffer[] | undefined,
): Promise<ScriptedDns> {
  const queries: Query[] = [];
  const tcp = createServer();
  const sockets = new Set<Socket>();
  tcp.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let got = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 2 || got.length < 2 + got.readUInt16BE(0)) return;
      const q = parseQuery(got.subarray(2), "tcp", socket.remotePort ?? 0);
      queries.push(q);
      for (const out of [script(q) ?? []].flat()) socket.write(Buffer.concat([u16(out.length), out]));
    });
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  const port = (tcp.address() as AddressInfo).port;
  const udp = createSocket("udp4");
  udp.on("message", (buf, from) => {
    const q = parseQuery(buf, "udp", from.port);
    queries.push(q);
    for (const out of [script(q) ?? []].flat()) udp.send(out, from.port, from.address);
  });
  await new Promise<void>((resolve) => udp.bind(port, "127.0.0.1", resolve));
  return {
    servers: [`127.0.0.1:${port}`],
    queries,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** Expects `promise` to reject with a `DnsLookupError` and returns it. */
export async function lookupError(promise: Promise<unknown>): Promise<DnsLookupError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(DnsLookupError);
    return error as DnsLookupError;
  }
  expect.fail("the lookup did not fail");
}
