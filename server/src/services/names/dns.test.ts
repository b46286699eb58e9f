import { createSocket, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { startDnsServer, type DnsFixture } from "../../../../test/helpers/dns-server.js";
import { lookupError } from "../../../../test/helpers/dns-script.js";
import { createDnsClient, type DnsClient, type DnsClientOptions } from "./dns.js";

describe("names/dns: lookups against a real DNS server", function () {
  let dns: DnsFixture;
  const clients: DnsClient[] = [];
  let clock = 1_000_000;
  /** A client on the fixture, with a hand-moved clock so cache expiry needs no sleeping. */
  const client = (opts: DnsClientOptions = {}, servers = dns.servers) => {
    const c = createDnsClient(servers, { timeoutMs: 500, tries: 1, now: () => clock, ...opts });
    clients.push(c);
    return c;
  };

  beforeEach(async function () {
    dns = await startDnsServer({
      "example.test.": {
        "@": { NS: ["ns1.example.test"], TXT: ["apex"] },
        ns1: { A: ["127.0.0.1"] },
        _callsign: { TXT: ["callsign-proof=abc", "other"] },
        long: { TXT: ["x".repeat(300) + "é"] },
        "_callsign._tcp": { SRV: { values: ["10 5 8448 hs.example.test"], ttl: 60 } },
        "only-a": { A: { values: ["192.0.2.1"], ttl: 2 } },
        "only-mx": { MX: ["10 mail.elsewhere.test"] },
        "only-txt": { TXT: ["hello"] },
        alias: { CNAME: ["_callsign.example.test"] },
      },
      // A zone with nothing but its SOA and NS: a registered domain without hosts.
      "bare.test.": {},
    });
  });

  afterEach(async function () {
    for (const c of clients.splice(0)) c.close();
    await dns.close();
  });

  it("finds TXT records, joining a record's strings and reading them as UTF-8", async function () {
    const c = client();
    const proof = await c.txt("_callsign.example.test");
    expect(proof.found).to.be.true;
    expect(proof.found && [...proof.records].sort()).to.deep.equal(["callsign-proof=abc", "other"]);
    expect(await c.txt("LONG.example.test.")).to.deep.equal({
      found: true,
      records: ["x".repeat(300) + "é"],
    });
    expect(await c.txt("alias.example.test")).to.deep.include({ found: true });
  });

  it("finds SRV records", async function () {
    expect(await client().srv("_callsign._tcp.example.test")).to.deep.equal({
      found: true,
      records: [{ priority: 10, weight: 5, port: 8448, name: "hs.example.test" }],
    });
  });

  it("keeps a TXT answer for the record's TTL, then sees the record changed", async function () {
    await dns.set("only-txt.example.test", "TXT", ["hello"], 5);
    const c = client();
    expect(await c.txt("only-txt.example.test")).to.deep.equal({ found: true, records: ["hello"] });
    await dns.set("only-txt.example.test", "TXT", ["changed"], 5);

    clock += 4999;
    expect(await c.txt("only-txt.example.test"), "within the 5 s TTL").to.deep.equal({
      found: true,
      records: ["hello"],
    });
    clock += 2;
    expect(await c.txt("only-txt.example.test")).to.deep.equal({ found: true, records: ["changed"] });
    expect(c.stats()).to.deep.include({ hits: 1, misses: 2 });
  });

  it("keeps an SRV answer for its TTL, and no answer longer than maxTtlMs", async function () {
    const c = client({ maxTtlMs: 30_000 });
    await c.srv("_callsign._tcp.example.test"); // TTL 60 s, capped at 30
    await c.txt("only-txt.example.test"); // TTL 1 s
    await dns.set("_callsign._tcp.example.test", "SRV", ["20 5 8448 hs2.example.test"], 60);
    clock += 1001;
    expect(c.stats()).to.deep.include({ entries: 2 });
    await c.txt("only-txt.example.test");
    expect(c.stats()).to.deep.include({ hits: 0, misses: 3 });
    expect(await c.srv("_callsign._tcp.example.test"), "kept 30 s").to.deep.equal({
      found: true,
      records: [{ priority: 10, weight: 5, port: 8448, name: "hs.example.test" }],
    });
    clock += 29_000;
    expect(await c.srv("_callsign._tcp.example.test")).to.deep.equal({
      found: true,
      records: [{ priority: 20, weight: 5, port: 8448, name: "hs2.example.test" }],
    });
  });

  it("honours the TTL of A answers", async function () {
    const c = client();
    expect(await c.exists("only-a.example.test")).to.be.true;
    await dns.remove("only-a.example.test", "A");
    clock += 1999;
    expect(await c.exists("only-a.example.test"), "within the 2 s TTL").to.be.true;
    clock += 2;
    expect(await c.exists("only-a.example.test")).to.be.false;
  });

  it("reports NXDOMAIN and NODATA as definite absence, kept for the SOA's negative TTL (RFC 2308)", async function () {
    // Negative TTL: the smaller of the SOA record's TTL (30) and its MINIMUM field (4).
    await dns.addZone("neg.test.", {
      "@": { SOA: { values: ["ns.neg.test. hostmaster.neg.test. 1 60 60 3600 4"], ttl: 30 } },
      "only-a": { A: ["192.0.2.1"] },
    });
    const c = client();
    expect(await c.txt("nope.neg.test")).to.deep.equal({ found: false, reason: "NXDOMAIN" });
    expect(await c.txt("only-a.neg.test")).to.deep.equal({ found: false, reason: "NODATA" });

    await dns.set("nope.neg.test", "TXT", ["now here"]);
    await dns.set("only-a.neg.test", "TXT", ["now here too"]);
    clock += 3999;
    expect(await c.txt("nope.neg.test"), "NXDOMAIN still kept").to.deep.include({ found: false });
    expect(await c.txt("only-a.neg.test"), "NODATA still kept").to.deep.include({ found: false });
    clock += 2;
    expect(await c.txt("nope.neg.test")).to.deep.equal({ found: true, records: ["now here"] });
    expect(await c.txt("only-a.neg.test")).to.deep.equal({ found: true, records: ["now here too"] });
  });

  it("keeps a negative answer no longer than maxNegativeTtlMs", async function () {
    await dns.addZone("neg.test.", { "@": { SOA: ["ns.neg.test. hostmaster.neg.test. 1 60 60 3600 600"] } });
    const c = client({ maxNegativeTtlMs: 500 });
    expect(await c.txt("nope.neg.test")).to.deep.include({ found: false });
    await dns.set("nope.neg.test", "TXT", ["now here"]);
    clock += 499;
    expect(await c.txt("nope.neg.test")).to.deep.include({ found: false });
    clock += 2;
    expect(await c.txt("nope.neg.test")).to.deep.equal({ found: true, records: ["now here"] });
  });

  it("reads an answer larger than a UDP reply over TCP", async function () {
    const values = Array.from({ length: 8 }, (_, i) => `${i}:${"y".repeat(250)}`);
    await dns.set("big.example.test", "TXT", values);
    const answer = await client().txt("big.example.test");
    expect(answer.found && [...answer.records].sort()).to.deep.equal(values);
  });

  it("shares one query among concurrent identical lookups, and answers the next from the cache", async function () {
    await dns.set("only-txt.example.test", "TXT", ["hello"], 60);
    const c = client();
    const answers = await Promise.all([1, 2, 3].map(() => c.txt("ONLY-TXT.example.test.")));
    expect(answers.every((a) => a.found)).to.be.true;
    expect(c.stats()).to.deep.equal({ hits: 0, shared: 2, misses: 1, entries: 1 });
    await c.txt("only-txt.example.test");
    expect(c.stats()).to.deep.include({ hits: 1, misses: 1 });
  });

  it("keeps at most maxEntries answers, the least recently used leaving first", async function () {
    const c = client({ maxEntries: 2 });
    await c.txt("_callsign.example.test");
    await c.srv("_callsign._tcp.example.test");
    await c.txt("_callsign.example.test"); // hit: the SRV answer is now the least recently used
    await c.a("only-a.example.test");
    expect(c.stats()).to.deep.include({ hits: 1, misses: 3, entries: 2 });
    await c.txt("_callsign.example.test");
    await c.srv("_callsign._tcp.example.test");
    expect(c.stats()).to.deep.include({ hits: 2, misses: 4, entries: 2 });
  });

  it("forget(domain) drops the answers for the domain and the names under it, and keeps no answer in flight", async function () {
    await dns.set("_callsign.example.test", "TXT", ["v=1"], 60);
    await dns.addZone("other.test.", { _callsign: { TXT: { values: ["v=1"], ttl: 60 } } });
    const c = client();
    await c.txt("_callsign.example.test");
    await c.txt("_callsign.other.test");
    await dns.set("_callsign.example.test", "TXT", ["v=2"], 60);
    await dns.set("_callsign.other.test", "TXT", ["v=2"], 60);

    c.forget("Example.Test");
    expect(await c.txt("_callsign.example.test")).to.deep.equal({ found: true, records: ["v=2"] });
    expect(await c.txt("_callsign.other.test"), "another domain").to.deep.equal({
      found: true,
      records: ["v=1"],
    });

    await dns.set("_callsign.example.test", "TXT", ["v=3"], 60);
    c.forget("example.test");
    const asked = c.txt("_callsign.example.test");
    c.forget("example.test"); // while the query is in flight: its answer is returned, not kept
    expect(await asked).to.deep.equal({ found: true, records: ["v=3"] });
    await dns.set("_callsign.example.test", "TXT", ["v=4"], 60);
    expect(await c.txt("_callsign.example.test")).to.deep.equal({ found: true, records: ["v=4"] });
  });

  it("throws DnsLookupError, never 'absent', for a zone the server does not serve (REFUSED), and does not cache it", async function () {
    const c = client();
    const error = await lookupError(c.txt("_callsign.brand.test"));
    expect(error.code).to.equal("EREFUSED");
    expect(error.qname).to.equal("_callsign.brand.test");
    expect(error.qtype).to.equal("TXT");
    expect(error.retryable).to.be.true;
    expect((await lookupError(c.exists("brand.test"))).code).to.equal("EREFUSED");

    await dns.addZone("brand.test.", { _callsign: { TXT: ["v=1"] } });
    expect(await c.txt("_callsign.brand.test")).to.deep.equal({ found: true, records: ["v=1"] });
    expect(await c.exists("brand.test")).to.be.true;

    await dns.removeZone("brand.test");
    c.clearCache();
    expect((await lookupError(c.exists("brand.test"))).code).to.equal("EREFUSED");
  });

  it("throws DnsLookupError when the server does not answer (stopped: timeout)", async function () {
    const c = client({ timeoutMs: 100 });
    await dns.pause();
    try {
      const error = await lookupError(c.txt("_callsign.example.test"));
      expect(error.code).to.equal("ETIMEOUT");
      expect((await lookupError(c.exists("example.test"))).code).to.equal("ETIMEOUT");
    } finally {
      dns.resume();
    }
    expect(await c.txt("_callsign.example.test")).to.deep.include({ found: true });
  });

  it("throws DnsLookupError when nothing listens any more (server closed)", async function () {
    const c = client({ timeoutMs: 100 });
    await dns.close();
    const error = await lookupError(c.txt("_callsign.example.test"));
    expect(error.code).to.be.oneOf(["ECONNREFUSED", "ETIMEOUT"]);
  });

  it("throws ETIMEOUT against a server that swallows every query", async function () {
    const blackHole: Socket = createSocket("udp4");
    await new Promise<void>((resolve) => blackHole.bind(0, "127.0.0.1", resolve));
    try {
      const { port } = blackHole.address() as AddressInfo;
      const c = client({ timeoutMs: 100 }, [`127.0.0.1:${port}`]);
      expect((await lookupError(c.srv("_callsign._tcp.example.test"))).code).to.equal("ETIMEOUT");
    } finally {
      blackHole.close();
    }
  });

  it("exists(): true for a name with only NS/SOA, only MX or only A; false for NXDOMAIN or only TXT", async function () {
    const c = client();
    expect(await c.exists("bare.test"), "NS/SOA only").to.be.true;
    expect(await c.exists("only-mx.example.test"), "MX only").to.be.true;
    expect(await c.exists("only-a.example.test"), "A only").to.be.true;
    expect(await c.exists("only-txt.example.test"), "TXT only").to.be.false;
    expect(await c.exists("nope.bare.test"), "NXDOMAIN").to.be.false;
  });

  it("falls over to the next configured server when the first does not answer", async function () {
    const other = await startDnsServer({ "example.test.": { _callsign: { TXT: ["from the second"] } } });
    try {
      const c = client({ timeoutMs: 100 }, [...dns.servers, ...other.servers]);
      await dns.pause();
      expect(await c.txt("_callsign.example.test")).to.deep.equal({
        found: true,
        records: ["from the second"],
      });
    } finally {
      dns.resume();
      await other.close();
    }
  });

  it("asks the next server when the first answers REFUSED, and says REFUSED when every one does", async function () {
    const other = await startDnsServer({ "unrelated.test.": {} });
    try {
      const c = client({}, [...other.servers, ...dns.servers]);
      expect(await c.txt("_callsign.example.test")).to.deep.include({ found: true });
      expect((await lookupError(c.txt("_callsign.nowhere.invalid"))).code).to.equal("EREFUSED");
    } finally {
      await other.close();
    }
  });

  it("runs two servers at once without interference", async function () {
    const second = await startDnsServer({ "example.test.": { _callsign: { TXT: ["second"] } } });
    try {
      expect(second.port).to.not.equal(dns.port);
      const a = client({ maxEntries: 0 });
      const b = client({ maxEntries: 0 }, second.servers);
      expect(await b.txt("_callsign.example.test")).to.deep.equal({ found: true, records: ["second"] });

      await Promise.all([
        dns.set("_callsign.example.test", "TXT", ["first, changed"]),
        second.set("_callsign.example.test", "TXT", ["second, changed"]),
      ]);
      expect(await a.txt("_callsign.example.test")).to.deep.equal({
        found: true,
        records: ["first, changed"],
      });
      expect(await b.txt("_callsign.example.test")).to.deep.equal({
        found: true,
        records: ["second, changed"],
      });
      expect(await b.txt("only-txt.example.test")).to.deep.equal({ found: false, reason: "NXDOMAIN" });
    } finally {
      await second.close();
    }
  });

  it("rejects what cannot be a DNS name", async function () {
    let error: unknown;
    await client()
      .txt("a..b")
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
  });
});
