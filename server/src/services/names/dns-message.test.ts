import { expect } from "chai";
import { rdata, reply, T, type Query } from "../../../../test/helpers/dns-script.js";
import { decodeMessage, EDNS_UDP_SIZE, encodeQuery, MalformedMessage } from "./dns-message.js";

const q = (name: string, type: number): Query => ({
  id: 0x1234,
  name,
  type,
  edns: false,
  via: "udp",
  port: 0,
});

describe("names/dns-message: the DNS wire format", function () {
  it("encodes a recursive query with one question and an EDNS(0) OPT record", function () {
    const buf = encodeQuery(0xbeef, "_callsign.example.test", T.TXT);
    expect(buf.readUInt16BE(0)).to.equal(0xbeef);
    expect(buf.readUInt16BE(2)).to.equal(0x0100, "RD only");
    expect([
      buf.readUInt16BE(4),
      buf.readUInt16BE(6),
      buf.readUInt16BE(8),
      buf.readUInt16BE(10),
    ]).to.deep.equal([1, 0, 0, 1]);
    const qname = Buffer.from("\x09_callsign\x07example\x04test\x00", "latin1");
    expect(buf.subarray(12, 12 + qname.length)).to.deep.equal(qname);
    const at = 12 + qname.length;
    expect([buf.readUInt16BE(at), buf.readUInt16BE(at + 2)]).to.deep.equal([T.TXT, 1]);
    expect([buf[at + 4], buf.readUInt16BE(at + 5), buf.readUInt16BE(at + 7)]).to.deep.equal([
      0,
      41,
      EDNS_UDP_SIZE,
    ]);
    expect(buf.length).to.equal(at + 4 + 11);
    expect(encodeQuery(1, "example.test", T.A, false).readUInt16BE(10)).to.equal(0, "no OPT");
  });

  it("refuses to encode an empty or over-long label", function () {
    expect(() => encodeQuery(1, "a..b", T.A)).to.throw(TypeError);
    expect(() => encodeQuery(1, `${"x".repeat(64)}.test`, T.A)).to.throw(TypeError);
  });

  it("decodes answers and authority: A, TXT (strings joined, then UTF-8), SRV, CNAME, SOA, unknown types", function () {
    const snowman = Buffer.from("☃", "utf8");
    const msg = decodeMessage(
      reply(q("Alias.Example.Test", T.TXT), {
        aa: true,
        answers: [
          { name: "alias.example.test", type: T.CNAME, ttl: 30, rdata: rdata.name("txt.example.test") },
          // A character split across two character-strings is read whole.
          {
            name: "txt.example.test",
            type: T.TXT,
            ttl: 20,
            rdata: rdata.txt(Buffer.concat([Buffer.from("a"), snowman.subarray(0, 1)]), snowman.subarray(1)),
          },
          { name: "host.example.test", type: T.A, rdata: rdata.a("192.0.2.7") },
          { name: "_x._tcp.example.test", type: T.SRV, rdata: rdata.srv(10, 5, 8448, "hs.example.test") },
          { name: "odd.example.test", type: 99, rdata: Buffer.from([1, 2, 3]) },
        ],
        authority: [{ name: "example.test", type: T.SOA, ttl: 3600, rdata: rdata.soa(300) }],
      }),
    );
    expect(msg).to.deep.include({ id: 0x1234, aa: true, tc: false, rcode: 0 });
    expect(msg.question).to.deep.equal({ name: "alias.example.test", type: T.TXT, class: 1 }, "lower-cased");
    expect(msg.answers.map((r) => [r.name, r.type, r.ttl, r.data])).to.deep.equal([
      ["alias.example.test", T.CNAME, 30, "txt.example.test"],
      ["txt.example.test", T.TXT, 20, "a☃"],
      ["host.example.test", T.A, 60, "192.0.2.7"],
      ["_x._tcp.example.test", T.SRV, 60, { priority: 10, weight: 5, port: 8448, target: "hs.example.test" }],
      ["odd.example.test", 99, 60, undefined],
    ]);
    expect(msg.authority[0]!.data).to.deep.include({ mname: "ns.script.test", minimum: 300 });
  });

  it("follows compression pointers", function () {
    // Question at 12: "example.test"; the answer's owner points at it, its CNAME target is
    // "www" + a pointer to it.
    const head = Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const question = Buffer.from("\x07example\x04test\x00\x00\x05\x00\x01", "latin1");
    const target = Buffer.from([3, 0x77, 0x77, 0x77, 0xc0, 12]);
    const answer = Buffer.concat([
      Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 10, 0, target.length]),
      target,
    ]);
    const msg = decodeMessage(Buffer.concat([head, question, answer]));
    expect(msg.answers[0]).to.deep.equal({
      name: "example.test",
      type: T.CNAME,
      class: 1,
      ttl: 10,
      data: "www.example.test",
    });
  });

  it("reads a TTL with the top bit set as 0 (RFC 2181 §8)", function () {
    const msg = decodeMessage(
      reply(q("a.test", T.A), {
        answers: [{ name: "a.test", type: T.A, ttl: 0x80000000, rdata: rdata.a("192.0.2.1") }],
      }),
    );
    expect(msg.answers[0]!.ttl).to.equal(0);
  });

  it("rejects malformed messages: pointer loops, forward pointers, short messages, wrong RDATA lengths, long names", function () {
    const head = (an: number) => Buffer.from([0, 1, 0x81, 0x80, 0, 0, 0, an, 0, 0, 0, 0]);
    const loop = Buffer.concat([
      head(1),
      Buffer.from([1, 0x61, 0xc0, 12]),
      Buffer.from([0, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
    ]);
    expect(() => decodeMessage(loop), "a name pointing at itself").to.throw(MalformedMessage);
    const forward = Buffer.concat([
      head(1),
      Buffer.from([0xc0, 14, 0]),
      Buffer.from([0, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
    ]);
    expect(() => decodeMessage(forward), "a forward pointer").to.throw(MalformedMessage);

    const good = reply(q("a.test", T.A), {
      answers: [{ name: "a.test", type: T.A, rdata: rdata.a("192.0.2.1") }],
    });
    for (let cut = 0; cut < good.length; cut++) {
      expect(() => decodeMessage(good.subarray(0, cut)), `cut at ${cut}`).to.throw(MalformedMessage);
    }
    const shortA = reply(q("a.test", T.A), {
      answers: [{ name: "a.test", type: T.A, rdata: Buffer.from([1, 2, 3]) }],
    });
    expect(() => decodeMessage(shortA)).to.throw(MalformedMessage);
    const txtOverrun = reply(q("a.test", T.TXT), {
      answers: [{ name: "a.test", type: T.TXT, rdata: Buffer.from([5, 0x61]) }],
    });
    expect(() => decodeMessage(txtOverrun)).to.throw(MalformedMessage);

    const long = Array.from({ length: 5 }, () => "x".repeat(63)).join(".");
    expect(() => decodeMessage(reply(q(long, T.A)))).to.throw(MalformedMessage);
  });
});
