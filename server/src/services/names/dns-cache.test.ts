import { expect } from "chai";
import { TtlCache } from "./dns-cache.js";

describe("names/dns-cache: answers kept for their TTL, least recently used out first", function () {
  let clock: number;
  const cache = <V>(max: number) => new TtlCache<V>(max, () => clock);
  beforeEach(() => (clock = 1_000));

  it("keeps a value until its TTL is over, and nothing for a TTL of 0", function () {
    const c = cache<string>(10);
    c.set("a", "A", 500);
    c.set("zero", "Z", 0);
    clock += 499;
    expect(c.get("a")).to.equal("A");
    expect(c.get("zero")).to.equal(undefined);
    clock += 1;
    expect(c.get("a")).to.equal(undefined);
    expect(c.size).to.equal(0, "the expired entry is dropped when met");
  });

  it("holds at most maxEntries, dropping the least recently used", function () {
    const c = cache<number>(3);
    c.set("a", 1, 10_000);
    c.set("b", 2, 10_000);
    c.set("c", 3, 10_000);
    expect(c.get("a")).to.equal(1); // a is now the most recently used: b goes next
    c.set("d", 4, 10_000);
    expect(c.size).to.equal(3);
    expect([c.get("a"), c.get("b"), c.get("c"), c.get("d")]).to.deep.equal([1, undefined, 3, 4]);
    c.set("c", 30, 10_000); // replacing an entry takes no extra room
    expect(c.size).to.equal(3);
  });

  it("keeps nothing with maxEntries 0", function () {
    const c = cache<number>(0);
    c.set("a", 1, 10_000);
    expect(c.get("a")).to.equal(undefined);
  });

  it("drops the entries a predicate picks", function () {
    const c = cache<number>(10);
    for (const k of ["TXT _callsign.a.test", "SRV _callsign._tcp.a.test", "TXT _callsign.b.test"])
      c.set(k, 1, 10_000);
    c.deleteWhere((k) => k.endsWith(".a.test"));
    expect(c.size).to.equal(1);
    expect(c.get("TXT _callsign.b.test")).to.equal(1);
  });
});
