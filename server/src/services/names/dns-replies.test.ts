/**
 * The DNS client against scripted replies a real server will not send on demand (CNAME chains,
 * SOA minimums, referrals, truncation, FORMERR, SERVFAIL, other IDs); dns.test.ts runs it
 * against Knot.
 */
import { expect } from "chai";
import {
  lookupError,
  rdata,
  reply,
  startScriptedDns,
  T,
  type Query,
  type ScriptedDns,
} from "../../../../test/helpers/dns-script.js";
import { createDnsClient, type DnsClientOptions } from "./dns.js";
import { QUERIES_PER_SOCKET } from "./dns-udp.js";

describe("names/dns: replies a real server will not send on demand", function () {
  let clock = 1_000_000;
  const opened: { close(): unknown }[] = [];
  /** A scripted server and a client on it (a second server first, when given). */
  async function setUp(
    script: (q: Query) => Buffer | Buffer[] | undefined,
    opts: DnsClientOptions = {},
    before?: ScriptedDns,
  ) {
    const server = await startScriptedDns(script);
    const client = createDnsClient([...(before?.servers ?? []), ...server.servers], {
      timeoutMs: 300,
      tries: 1,
      now: () => clock,
      ...opts,
    });
    opened.push(client, server);
    return { server, client };
  }
  const txt = (q: Query, value: string, ttl = 60) => ({
    name: q.name,
    type: T.TXT,
    ttl,
    rdata: rdata.txt(value),
  });

  afterEach(async function () {
    for (const o of opened.splice(0).reverse()) await o.close();
  });

  it("ignores a reply with another ID or question, and takes the one that answers the query", async function () {
    const { client } = await setUp((q) => [
      reply(q, { id: q.id ^ 1, answers: [txt(q, "spoofed")] }),
      reply({ ...q, name: "other.test" }, { answers: [txt({ ...q, name: "other.test" }, "other")] }),
      reply(q, { answers: [txt(q, "real")] }),
    ]);
    expect(await client.txt("a.test")).to.deep.equal({ found: true, records: ["real"] });
  });

  it("keeps an answer for the smallest TTL along its CNAME chain", async function () {
    const { server, client } = await setUp((q) =>
      reply(q, {
        answers: [
          { name: q.name, type: T.CNAME, ttl: 5, rdata: rdata.name("target.test") },
          { name: "target.test", type: T.TXT, ttl: 50, rdata: rdata.txt("v") },
          { name: "unrelated.test", type: T.TXT, ttl: 50, rdata: rdata.txt("not ours") },
        ],
      }),
    );
    expect(await client.txt("a.test")).to.deep.equal({ found: true, records: ["v"] });
    clock += 4999;
    await client.txt("a.test");
    expect(server.queries).to.have.length(1);
    clock += 2;
    await client.txt("a.test");
    expect(server.queries).to.have.length(2);
  });

  it("keeps a negative answer for the smaller of its SOA's TTL and MINIMUM (RFC 2308 §5)", async function () {
    const soa = (ttl: number, minimum: number) => ({
      name: "test",
      type: T.SOA,
      ttl,
      rdata: rdata.soa(minimum),
    });
    const { server, client } = await setUp((q) =>
      reply(q, { rcode: 3, authority: [q.name === "a.test" ? soa(3600, 5) : soa(3, 300)] }),
    );
    await client.txt("a.test");
    await client.txt("b.test");
    clock += 2999;
    await Promise.all([client.txt("a.test"), client.txt("b.test")]);
    expect(server.queries).to.have.length(2);
    clock += 2;
    await Promise.all([client.txt("a.test"), client.txt("b.test")]);
    expect(server.queries.map((q) => q.name)).to.deep.equal(["a.test", "b.test", "b.test"]);
    clock += 2000;
    await client.txt("a.test");
    expect(server.queries).to.have.length(4);
  });

  it("keeps no negative answer that has no SOA (RFC 2308 §5), and no answer with TTL 0", async function () {
    const { server, client } = await setUp((q) =>
      q.name === "zero.test" ? reply(q, { answers: [txt(q, "v", 0)] }) : reply(q, { rcode: 3 }),
    );
    expect(await client.txt("a.test")).to.deep.equal({ found: false, reason: "NXDOMAIN" });
    expect(await client.txt("a.test")).to.deep.equal({ found: false, reason: "NXDOMAIN" });
    await client.txt("zero.test");
    await client.txt("zero.test");
    expect(server.queries).to.have.length(4);
  });

  it("takes a referral for 'could not tell', not for 'absent'", async function () {
    const { client } = await setUp((q) =>
      reply(q, { authority: [{ name: "test", type: T.NS, rdata: rdata.name("ns.elsewhere.test") }] }),
    );
    const error = await lookupError(client.txt("a.test"));
    expect(error.code).to.equal("EBADRESP");
  });

  it("asks again over TCP when the UDP answer is truncated", async function () {
    const { server, client } = await setUp((q) =>
      q.via === "udp" ? reply(q, { tc: true }) : reply(q, { answers: [txt(q, "whole")] }),
    );
    expect(await client.txt("a.test")).to.deep.equal({ found: true, records: ["whole"] });
    expect(server.queries.map((q) => q.via)).to.deep.equal(["udp", "tcp"]);
  });

  it("asks without EDNS a server that answers FORMERR to it", async function () {
    const { server, client } = await setUp((q) =>
      q.edns ? reply(q, { rcode: 1 }) : reply(q, { answers: [txt(q, "old")] }),
    );
    expect(await client.txt("a.test")).to.deep.equal({ found: true, records: ["old"] });
    expect(server.queries.map((q) => q.edns)).to.deep.equal([true, false]);
  });

  it("asks the next server after a SERVFAIL, and says SERVFAIL when every one does", async function () {
    const failing = await startScriptedDns((q) => reply(q, { rcode: 2 }));
    opened.push(failing);
    const { client } = await setUp(
      (q) => (q.name === "a.test" ? reply(q, { answers: [txt(q, "second")] }) : reply(q, { rcode: 2 })),
      {},
      failing,
    );
    expect(await client.txt("a.test")).to.deep.equal({ found: true, records: ["second"] });
    expect((await lookupError(client.txt("b.test"))).code).to.equal("ESERVFAIL");
    expect(client.stats().entries).to.equal(1, "errors are not kept");
  });

  it("shares a socket among queries, and takes a fresh one (a new source port) every QUERIES_PER_SOCKET", async function () {
    const { server, client } = await setUp((q) => reply(q, { answers: [txt(q, "v")] }), { maxEntries: 0 });
    const together = await Promise.all([1, 2, 3].map((i) => client.txt(`t${i}.test`)));
    expect(together.every((a) => a.found)).to.be.true;
    for (let i = 3; i < QUERIES_PER_SOCKET + 10; i++) await client.txt(`t${i}.test`);
    const ports = server.queries.map((q) => q.port);
    expect(new Set(ports.slice(0, 3)).size).to.equal(1, "the first three shared a socket");
    expect(new Set(ports.slice(0, QUERIES_PER_SOCKET)).size).to.equal(1);
    expect(ports[QUERIES_PER_SOCKET]).to.not.equal(ports[0]);
    expect(new Set(ports.slice(QUERIES_PER_SOCKET)).size).to.equal(1);
    expect(new Set(server.queries.map((q) => q.id)).size).to.be.above(QUERIES_PER_SOCKET / 2, "random IDs");
  });

  it("close() cancels the lookups in flight", async function () {
    const { client } = await setUp(() => undefined, { timeoutMs: 10_000 });
    const pending = lookupError(client.txt("a.test"));
    client.close();
    expect((await pending).code).to.equal("ECANCELLED");
  });
});
