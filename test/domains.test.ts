/**
 * DNS verification of domains against a real DNS server (Knot on loopback) whose records the
 * test changes: a domain verifies; a removed record unverifies it only after repeated failures
 * over the failure window and a grace; an old record never revives a lapsed claim; the newest
 * proof wins over an older holder.
 */
import { expect } from "chai";
import type { DomainView } from "../protocol/callsign/domains.js";
import type { NameView } from "../protocol/callsign/names.js";
import { ext, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("domain verification through DNS", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  before(async () => {
    net = await TestNetwork.start({
      env: {
        CALLSIGN_DOMAIN_RECHECK_S: "1",
        CALLSIGN_DOMAIN_FAILURES: "3",
        CALLSIGN_DOMAIN_FAIL_WINDOW_S: "2",
        CALLSIGN_DOMAIN_GRACE_S: "2",
      },
    });
    url = net.baseUrl;
  });
  after(() => net?.close());

  const domainsOf = async (token: string) =>
    (await ext<{ domains: DomainView[] }>(url, "GET", "/domains", token)).body.domains;

  it("verifies a domain once its exact TXT record is published, and unverifies it only after repeated failures and a grace", async () => {
    const owner = await subscriber(url);
    const claim = await ext<DomainView>(url, "POST", "/domains", owner.access_token, {
      domain: "Globex.Example.Test",
    });
    expect(claim.body).to.include({ domain: "globex.example.test", state: "pending" });
    expect(claim.body.record.name).to.equal("_verify._callsign.globex.example.test");
    expect(claim.body.record.value).to.match(/^callsign-verify=[A-Za-z0-9_-]{43}$/);

    const early = await ext<DomainView>(
      url,
      "POST",
      "/domains/globex.example.test/check",
      owner.access_token,
    );
    expect(early.body.state).to.equal("pending");

    await net.dns.set(`${claim.body.record.name}.`, "TXT", [claim.body.record.value]);
    const verified = await ext<DomainView>(
      url,
      "POST",
      "/domains/globex.example.test/check",
      owner.access_token,
    );
    expect(verified.body.state).to.equal("verified");

    await net.dns.remove(`${claim.body.record.name}.`, "TXT");
    const failing = await until("a failed re-check", async () => {
      const d = (await domainsOf(owner.access_token))[0]!;
      return d.state === "failing" ? d : undefined;
    });
    expect(failing.failures).to.be.at.least(1);
    const grace = await until("grace", async () => {
      const d = (await domainsOf(owner.access_token))[0]!;
      return d.state === "grace" ? d : undefined;
    });
    expect(grace.failures).to.be.at.least(3);
    await until("the claim to lapse", async () =>
      (await domainsOf(owner.access_token)).length === 0 ? true : undefined,
    );

    // Re-adding the old record does not revive the lapsed claim: a new claim has a new token.
    await net.dns.set(`${claim.body.record.name}.`, "TXT", [claim.body.record.value]);
    const again = await ext<DomainView>(url, "POST", "/domains", owner.access_token, {
      domain: "globex.example.test",
    });
    expect(again.body.state).to.equal("pending");
    expect(again.body.record.value).to.not.equal(claim.body.record.value);
    const stillPending = await ext<DomainView>(
      url,
      "POST",
      "/domains/globex.example.test/check",
      owner.access_token,
    );
    expect(stillPending.body.state).to.equal("pending");
  });

  it("a record that comes back within the failure window keeps the domain verified", async () => {
    const owner = await subscriber(url);
    const claim = (
      await ext<DomainView>(url, "POST", "/domains", owner.access_token, { domain: "initech.example.test" })
    ).body;
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    await ext(url, "POST", "/domains/initech.example.test/check", owner.access_token);
    await net.dns.remove(`${claim.record.name}.`, "TXT");
    await until("a failed re-check", async () =>
      (await domainsOf(owner.access_token))[0]!.state === "failing" ? true : undefined,
    );
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    const back = await until("verified again", async () => {
      const d = (await domainsOf(owner.access_token))[0]!;
      return d.state === "verified" ? d : undefined;
    });
    expect(back.failures).to.equal(0);
  });

  it("lets the newest proof win: a second claimant who publishes their record revokes the first claim", async () => {
    const first = await subscriber(url);
    const second = await subscriber(url);
    const a = (
      await ext<DomainView>(url, "POST", "/domains", first.access_token, { domain: "hooli.example.test" })
    ).body;
    await net.dns.set(`${a.record.name}.`, "TXT", [a.record.value]);
    expect(
      (await ext<DomainView>(url, "POST", "/domains/hooli.example.test/check", first.access_token)).body
        .state,
    ).to.equal("verified");
    const b = (
      await ext<DomainView>(url, "POST", "/domains", second.access_token, { domain: "hooli.example.test" })
    ).body;
    expect(b.record.value).to.not.equal(a.record.value);
    // The first claimant's record alone does not verify the second claim.
    expect(
      (await ext<DomainView>(url, "POST", "/domains/hooli.example.test/check", second.access_token)).body
        .state,
    ).to.equal("pending");
    await net.dns.set(`${b.record.name}.`, "TXT", [b.record.value]);
    expect(
      (await ext<DomainView>(url, "POST", "/domains/hooli.example.test/check", second.access_token)).body
        .state,
    ).to.equal("verified");
    expect(await domainsOf(first.access_token)).to.deep.equal([]);
  });

  it("decides nothing when DNS cannot tell", async () => {
    const owner = await subscriber(url);
    await net.dns.addZone("umbrella.test.");
    await ext(url, "POST", "/domains", owner.access_token, { domain: "umbrella.test" });
    await net.dns.removeZone("umbrella.test.");
    const res = await ext(url, "POST", "/domains/umbrella.test/check", owner.access_token);
    expect([res.status, res.body.errcode]).to.deep.equal([503, "IO_CALLSIGN_DNS_FAILED"]);
    expect((await domainsOf(owner.access_token))[0]!.state).to.equal("pending");
  });
});

describe("verified owners win", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({ env: { CALLSIGN_NAME_TERM_S: "3", CALLSIGN_NAME_GRACE_S: "600" } });
  });
  after(() => net?.close());

  it("lets the verified owner of acmeco.com claim the brand name acmeco from an unverified holder", async () => {
    const url = net.baseUrl;
    await net.dns.addZone("acmeco.com.");
    const squatter = await subscriber(url);
    const owner = await subscriber(url);
    const stranger = await subscriber(url);
    const held = await ext<NameView>(url, "POST", "/names", squatter.access_token, { name: "acmeco" });
    expect([held.body.state, held.body.is_brand]).to.deep.equal(["held", true]);
    const paid = await ext<NameView>(url, "POST", "/names/acmeco/pay", squatter.access_token, {
      source: "4242424242424242",
    });
    expect(paid.body.state).to.equal("active");

    const refused = await ext(url, "POST", "/names/acmeco/claim", stranger.access_token);
    expect([refused.status, refused.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_NOT_VERIFIED_OWNER"]);

    const claim = (
      await ext<DomainView>(url, "POST", "/domains", owner.access_token, { domain: "acmeco.com" })
    ).body;
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    expect(
      (await ext<DomainView>(url, "POST", "/domains/acmeco.com/check", owner.access_token)).body.state,
    ).to.equal("verified");
    const claimed = await ext<{ claimed_by_domain: string; holder_until: number }>(
      url,
      "POST",
      "/names/acmeco/claim",
      owner.access_token,
    );
    expect(claimed.status, JSON.stringify(claimed.body)).to.equal(200);
    expect(claimed.body.claimed_by_domain).to.equal("acmeco.com");
    expect(claimed.body.holder_until).to.equal(paid.body.paid_until);

    const renew = await ext(url, "POST", "/names/acmeco/renew", squatter.access_token, {
      source: "4242424242424242",
    });
    expect([renew.status, renew.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_NAME_CLAIMED"]);
    const seen = (await ext<{ names: NameView[] }>(url, "GET", "/names", squatter.access_token)).body
      .names[0]!;
    expect(seen.claimed_by_domain).to.equal("acmeco.com");
    expect(seen.events.at(-1)!.reason).to.match(/claimed by the verified owner of acmeco\.com/);

    // At the end of the paid term the name skips grace and is held for the verified owner.
    const handed = await until("the hand-over", async () => {
      const mine = (await ext<{ names: NameView[] }>(url, "GET", "/names", owner.access_token)).body.names;
      return mine.find((n) => n.name === "acmeco");
    });
    expect(handed.state).to.equal("held");
    expect(
      (await ext<{ names: NameView[] }>(url, "GET", "/names", squatter.access_token)).body.names,
    ).to.deep.equal([]);
  });
});

describe("directory search", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start();
  });
  after(() => net?.close());

  it("finds names by handle, prefix and near spelling, and verified domains marked as such", async () => {
    const url = net.baseUrl;
    const ann = await subscriber(url, { username: "annabella" });
    await subscriber(url, { username: "annabeth" });
    await subscriber(url, { username: "zebedee" });
    const claim = (
      await ext<DomainView>(url, "POST", "/domains", ann.access_token, { domain: "annabella.example.test" })
    ).body;
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    await ext(url, "POST", "/domains/annabella.example.test/check", ann.access_token);

    type Hit = { kind: string; handle: string; verified: boolean; match: string; number: string | null };
    const search = async (q: string) =>
      (await ext<{ results: Hit[] }>(url, "GET", `/directory?q=${encodeURIComponent(q)}`)).body.results;

    const prefix = await search("Anna");
    expect(prefix.map((h) => [h.kind, h.handle, h.match, h.verified])).to.deep.equal([
      ["domain", "annabella.example.test", "prefix", true],
      ["user", "annabella", "prefix", false],
      ["user", "annabeth", "prefix", false],
    ]);
    expect(prefix[1]!.number).to.equal(ann.number);
    expect((await search("annabela")).map((h) => [h.handle, h.match])).to.deep.include([
      "annabella",
      "fuzzy",
    ]);
    // A look-alike spelling (Cyrillic а) finds the Latin name by its key.
    expect((await search("\u0430nnabella")).map((h) => [h.handle, h.match])).to.deep.include([
      "annabella",
      "exact",
    ]);
    expect(await search("qq")).to.deep.equal([]);
    const bad = await ext(url, "GET", "/directory?q=" + "x".repeat(300));
    expect([bad.status, bad.body.errcode]).to.deep.equal([400, "M_BAD_JSON"]);
  });
});

describe("calling a verified domain", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start();
  });
  after(() => net?.close());

  it("reaches the holder only when the _callsign record names this provider and the domain is verified here", async () => {
    const url = net.baseUrl;
    const owner = await subscriber(url, { online: true, username: "globexowner" });
    const caller = await subscriber(url);
    const claim = (
      await ext<DomainView>(url, "POST", "/domains", owner.access_token, { domain: "globex.example.test" })
    ).body;

    // The record points here, but the domain is not verified yet: the two-way check refuses.
    await net.dns.set("_callsign.globex.example.test.", "TXT", ["v=callsign1 provider=localhost"]);
    const early = await ext(url, "POST", "/calls", caller.access_token, {
      handle: "globex.example.test",
      topic: "t",
    });
    expect([early.status, early.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);

    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    await ext(url, "POST", "/domains/globex.example.test/check", owner.access_token);
    const call = await ext<{ state: string; callee: { user_id: string } }>(
      url,
      "POST",
      "/calls",
      caller.access_token,
      {
        handle: "Globex.Example.Test",
        topic: "brand call",
      },
    );
    expect([call.status, call.body.state, call.body.callee.user_id]).to.deep.equal([
      200,
      "queued",
      owner.user_id,
    ]);
    const view = await ext<{ user: { user_id: string } }>(
      url,
      "GET",
      "/handles/globexowner@globex.example.test",
    );
    expect(view.body.user.user_id).to.equal(owner.user_id);
    const stranger = await ext(url, "GET", "/handles/nobody-here@globex.example.test");
    expect(stranger.body.errcode).to.equal("IO_CALLSIGN_UNKNOWN_HANDLE");

    // A record naming another provider: the handle lives there, and that provider is asked —
    // here one that cannot be found, so the caller learns which provider failed. (Answers are
    // cached for their TTL, so this uses a domain not looked up before.)
    await net.dns.set("_callsign.initrode.example.test.", "TXT", ["v=callsign1 provider=telco-b.example"]);
    const remote = await ext(url, "GET", "/handles/initrode.example.test");
    expect([
      remote.status,
      remote.body.errcode,
      (remote.body as { provider?: string }).provider,
    ]).to.deep.equal([502, "IO_CALLSIGN_PEER_FAILED", "telco-b.example"]);
  });

  it("answers a domain as soon as it verifies, though a lookup just found no record, and no more once the claim is withdrawn", async () => {
    const url = net.baseUrl;
    // Negative answers of this zone may be kept for minutes (SOA TTL and MINIMUM 300 s): only
    // the resolver forgetting the domain when its claim changes makes the new record count now.
    await net.dns.addZone("wayne.test.", {
      "@": { SOA: { values: ["ns.wayne.test. hostmaster.wayne.test. 1 60 60 3600 300"], ttl: 300 } },
    });
    const owner = await subscriber(url, { username: "wayneowner" });
    const claim = (
      await ext<DomainView>(url, "POST", "/domains", owner.access_token, { domain: "wayne.test" })
    ).body;
    const before = await ext(url, "GET", "/handles/wayne.test");
    expect([before.status, before.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);

    await net.dns.set("_callsign.wayne.test.", "TXT", ["v=callsign1 provider=localhost"], 300);
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    const checked = await ext<DomainView>(url, "POST", "/domains/wayne.test/check", owner.access_token);
    expect(checked.body.state).to.equal("verified");
    const verified = await ext<{ user: { user_id: string } }>(url, "GET", "/handles/wayne.test");
    expect([verified.status, verified.body.user?.user_id]).to.deep.equal([200, owner.user_id]);

    // The record stays (and stays cached); the claim is what is read every time.
    await ext(url, "DELETE", "/domains/wayne.test", owner.access_token);
    const withdrawn = await ext(url, "GET", "/handles/wayne.test");
    expect([withdrawn.status, withdrawn.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);
  });
});
