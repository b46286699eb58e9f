import { createSocket, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { startDnsServer, type DnsFixture } from "../../../../test/helpers/dns-server.js";
import { createDnsClient, DnsLookupError, type DnsClient, type DnsClientOptions } from "./dns.js";

/** Expects `promise` to reject with a `DnsLookupError` and returns it. */
async function lookupError(promise: Promise<unknown>): Promise<DnsLookupError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(DnsLookupError);
    return error as DnsLookupError;
  }
  expect.fail("the lookup did not fail");
}

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

  it("sees a record changed at run time once the cached answer expires", async function () {
    const c = client({ defaultTtlMs: 1000 });
    expect(await c.txt("only-txt.example.test")).to.deep.equal({ found: true, records: ["hello"] });
    await dns.set("only-txt.example.test", "TXT", ["changed"], 1);

    expect(await c.txt("only-txt.example.test"), "still cached").to.deep.equal({
      found: true,
      records: ["hello"],
    });
    clock += 1001;
    expect(await c.txt("only-txt.example.test")).to.deep.equal({ found: true, records: ["changed"] });
  });

  it("honours the TTL of A answers", async function () {
    const c = client({ defaultTtlMs: 60_000, negativeTtlMs: 60_000 });
    expect(await c.exists("only-a.example.test")).to.be.true;
    await dns.remove("only-a.example.test", "A");
    clock += 1999;
    expect(await c.exists("only-a.example.test"), "within the 2 s TTL").to.be.true;
    clock += 2;
    expect(await c.exists("only-a.example.test")).to.be.false;
  });

  it("reports NXDOMAIN and NODATA as definite absence, cached for the negative TTL", async function () {
    const c = client({ negativeTtlMs: 500 });
    expect(await c.txt("nope.example.test")).to.deep.equal({ found: false, reason: "NXDOMAIN" });
    expect(await c.srv("only-a.example.test")).to.deep.equal({ found: false, reason: "NODATA" });

    await dns.set("nope.example.test", "TXT", ["now here"]);
    expect(await c.txt("nope.example.test"), "negative answer still cached").to.deep.include({
      found: false,
    });
    clock += 501;
    expect(await c.txt("nope.example.test")).to.deep.equal({ found: true, records: ["now here"] });
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

  it("takes the first server's REFUSED as final (Node keeps SERVFAIL/REFUSED answers)", async function () {
    const other = await startDnsServer({ "unrelated.test.": {} });
    try {
      const c = client({}, [...other.servers, ...dns.servers]);
      expect((await lookupError(c.txt("_callsign.example.test"))).code).to.equal("EREFUSED");
    } finally {
      await other.close();
    }
  });

  it("runs two servers at once without interference", async function () {
    const second = await startDnsServer({ "example.test.": { _callsign: { TXT: ["second"] } } });
    try {
      expect(second.port).to.not.equal(dns.port);
      const a = client({ defaultTtlMs: 0 });
      const b = client({ defaultTtlMs: 0 }, second.servers);
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
