/**
 * The DNS wire format (RFC 1035 §4, EDNS(0) RFC 6891), as much of it as the names service asks
 * for: one question out; the header, question, answer and authority sections back, with the
 * RDATA of the record types we read. Node's resolver hides record TTLs (all but A/AAAA) and the
 * SOA of negative answers; reading the message ourselves gives both (dns.ts).
 *
 * Decoding is defensive: the input comes off the network. Every read is bounds-checked, and
 * compression pointers may only point backwards, so a malicious packet cannot loop.
 */

export const RecordTypeCode = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, SRV: 33, OPT: 41 } as const;
export type RecordTypeName = keyof typeof RecordTypeCode;

export const Rcode = { NoError: 0, FormErr: 1, ServFail: 2, NXDomain: 3, NotImp: 4, Refused: 5 } as const;

const CLASS_IN = 1;
/** The EDNS(0) UDP payload size of DNS Flag Day 2020: no IP fragmentation on common paths. */
export const EDNS_UDP_SIZE = 1232;

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  /** RFC 2308: the negative-caching TTL. */
  minimum: number;
}

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** RDATA by type; anything else stays undefined (its presence is all we read). */
export type RecordData = string | SrvData | SoaData | { preference: number; exchange: string } | undefined;

export interface ResourceRecord {
  /** Owner name, lower case, without the trailing dot ("" for the root). */
  name: string;
  type: number;
  class: number;
  /** Seconds; values above 2^31 − 1 read as 0 (RFC 2181 §8). */
  ttl: number;
  data: RecordData;
}

export interface DnsMessage {
  id: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated: the answer did not fit; ask again over TCP. */
  tc: boolean;
  rcode: number;
  question: { name: string; type: number; class: number } | undefined;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
}

/** A message that is not well-formed DNS. */
export class MalformedMessage extends Error {
  override readonly name = "MalformedMessage";
}

/** A recursive query for (`name`, `type`) in class IN, with an EDNS(0) OPT record unless `edns` is false. */
export function encodeQuery(id: number, name: string, type: number, edns = true): Buffer {
  const labels = name === "" ? [] : name.split(".").map((l) => Buffer.from(l, "utf8"));
  const qname = labels.reduce((n, l) => n + 1 + l.length, 1);
  const buf = Buffer.alloc(12 + qname + 4 + (edns ? 11 : 0));
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(0x0100, 2); // RD: the server recurses for us
  buf.writeUInt16BE(1, 4);
  buf.writeUInt16BE(edns ? 1 : 0, 10);
  let at = 12;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) throw new TypeError(`bad DNS label in ${name}`);
    buf[at++] = label.length;
    at += label.copy(buf, at);
  }
  buf[at++] = 0;
  at = buf.writeUInt16BE(type, at);
  at = buf.writeUInt16BE(CLASS_IN, at);
  if (edns) {
    buf[at++] = 0; // root owner
    at = buf.writeUInt16BE(RecordTypeCode.OPT, at);
    at = buf.writeUInt16BE(EDNS_UDP_SIZE, at); // the class field carries the payload size
    buf.writeUInt32BE(0, at); // extended rcode, version 0, no DO bit; RDLENGTH 0 follows
  }
  return buf;
}

/** Decodes a response; throws `MalformedMessage` for anything that is not well-formed. */
export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf);
  const id = r.u16();
  const flags = r.u16();
  const [qd, an, ns] = [r.u16(), r.u16(), r.u16()];
  r.u16(); // additional records: not read
  if (qd > 1) throw new MalformedMessage(`${qd} questions`);
  const question = qd === 1 ? { name: r.name(), type: r.u16(), class: r.u16() } : undefined;
  const section = (n: number) => Array.from({ length: n }, () => r.record());
  return {
    id,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rcode: flags & 0x000f,
    question,
    answers: section(an),
    authority: section(ns),
  };
}

/** Whether `buf` is a response (QR set) at all; cheap, before decoding. */
export function isResponse(buf: Buffer): boolean {
  return buf.length >= 12 && (buf[2]! & 0x80) !== 0;
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number, at = this.at): void {
    if (at + n > this.buf.length) throw new MalformedMessage("message ends early");
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }

  /** A domain name at the cursor, following compression pointers (backwards only). */
  name(): string {
    const labels: string[] = [];
    let at = this.at;
    // Each pointer must land before the segment it is read from: jumps strictly decrease.
    let segment = at;
    let resume: number | undefined;
    let length = 0;
    for (;;) {
      this.need(1, at);
      const len = this.buf[at]!;
      if (len === 0) {
        at += 1;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        this.need(2, at);
        const target = this.buf.readUInt16BE(at) & 0x3fff;
        if (target >= segment) throw new MalformedMessage("compression pointer does not point backwards");
        resume ??= at + 2;
        at = segment = target;
        continue;
      }
      if ((len & 0xc0) !== 0) throw new MalformedMessage("unknown label type");
      this.need(1 + len, at);
      labels.push(this.buf.toString("latin1", at + 1, at + 1 + len).toLowerCase());
      length += 1 + len;
      if (length > 254) throw new MalformedMessage("name longer than 255 bytes");
      at += 1 + len;
    }
    this.at = resume ?? at;
    return labels.join(".");
  }

  record(): ResourceRecord {
    const name = this.name();
    const type = this.u16();
    const klass = this.u16();
    const rawTtl = this.u32();
    const length = this.u16();
    this.need(length);
    const end = this.at + length;
    const data = this.rdata(type, end);
    if (this.at !== end) throw new MalformedMessage(`RDATA of type ${type} has the wrong length`);
    return { name, type, class: klass, ttl: rawTtl > 0x7fffffff ? 0 : rawTtl, data };
  }

  private rdata(type: number, end: number): RecordData {
    switch (type) {
      case RecordTypeCode.A: {
        if (end - this.at !== 4) throw new MalformedMessage("A record of the wrong length");
        return [this.u8(), this.u8(), this.u8(), this.u8()].join(".");
      }
      case RecordTypeCode.NS:
      case RecordTypeCode.CNAME:
        return this.name();
      case RecordTypeCode.MX:
        return { preference: this.u16(), exchange: this.name() };
      case RecordTypeCode.SRV:
        return { priority: this.u16(), weight: this.u16(), port: this.u16(), target: this.name() };
      case RecordTypeCode.SOA:
        return {
          mname: this.name(),
          rname: this.name(),
          serial: this.u32(),
          refresh: this.u32(),
          retry: this.u32(),
          expire: this.u32(),
          minimum: this.u32(),
        };
      case RecordTypeCode.TXT: {
        // The character-strings are joined first (a UTF-8 character may straddle two).
        const parts: Buffer[] = [];
        while (this.at < end) {
          const len = this.u8();
          this.need(len);
          parts.push(this.buf.subarray(this.at, this.at + len));
          this.at += len;
        }
        return Buffer.concat(parts).toString("utf8");
      }
      default:
        this.at = end;
        return undefined;
    }
  }
}
