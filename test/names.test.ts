/**
 * Reserved names against a real DNS server (Knot on loopback): quotes, brands from DNS and
 * from the trademark list, look-alikes, payment through the sandbox provider, and the
 * lifecycle jobs (hold, term, grace, release with a premium).
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { NameQuote, NameView } from "../protocol/callsign/names.js";
import { api, CS } from "./helpers/api.js";
import { ext, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

const DECLINED = "4000 0000 0000 0002";
const CARD = "4242 4242 4242 4242";

describe("names", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  const marks = path.join(tmpdir(), `callsign-marks-${process.pid}.txt`);
  before(async () => {
    writeFileSync(marks, "# the provider's trademark list\nZeldacorp\n");
    net = await TestNetwork.start({ env: { CALLSIGN_TRADEMARKS_FILE: marks, CALLSIGN_NAME_HOLD_S: "1" } });
    url = net.baseUrl;
  });
  after(() => net?.close());

  const quote = (name: string, token?: string) =>
    ext<NameQuote>(url, "GET", `/names/${encodeURIComponent(name)}`, token);

  it("quotes an ordinary name as free and not a brand, and prices short names", async () => {
    const q = await quote("Marguerite");
    expect(q.body).to.include({ name: "marguerite", available: true, is_brand: false, total_cents: 0 });
    expect((await quote("abc")).body.price_cents).to.equal(20000);
    expect((await quote("abcd")).body.price_cents).to.equal(5000);
  });

  it("detects brands from DNS (a registered <name>.<tld>) and from the trademark list", async () => {
    await net.dns.addZone("globexcorp.com.", { "@": { MX: ["10 mail.globexcorp.com."] } });
    const dns = await quote("globexcorp");
    expect(dns.body.is_brand).to.equal(true);
    expect(dns.body.brand_reasons).to.deep.equal([{ kind: "domain", value: "globexcorp.com" }]);
    expect(dns.body.brand_fee_cents).to.be.above(0);
    expect(dns.body.total_cents).to.equal(dns.body.price_cents + dns.body.brand_fee_cents);
    const mark = await quote("ZELDACORP");
    expect(mark.body.brand_reasons).to.deep.equal([{ kind: "trademark", value: "Zeldacorp" }]);
  });

  it("never reads a DNS failure as 'not a brand'", async () => {
    await net.dns.removeZone("io.");
    try {
      const res = await quote("initechx");
      expect([res.status, res.body.errcode]).to.deep.equal([503, "IO_CALLSIGN_BRAND_CHECK_FAILED"]);
    } finally {
      await net.dns.addZone("io.");
    }
  });

  it("refuses invalid, reserved and look-alike names", async () => {
    const owner = await subscriber(url);
    const bad = await ext(url, "POST", "/names", owner.access_token, { name: "p\u0430ypal" });
    expect([bad.status, bad.body.errcode, (bad.body as { reason?: string }).reason]).to.deep.equal([
      400,
      "IO_CALLSIGN_INVALID_NAME",
      "mixed_script",
    ]);
    const reserved = await ext(url, "POST", "/names", owner.access_token, { name: "postmaster" });
    expect([reserved.status, reserved.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_NAME_RESERVED"]);
    const held = await ext<NameView>(url, "POST", "/names", owner.access_token, { name: "cocoa" });
    expect([held.status, held.body.state]).to.deep.equal([200, "active"]);
    const other = await subscriber(url);
    // All-Cyrillic "сосоа" (one script, so a valid name) has the skeleton of "cocoa".
    const lookalike = await ext(url, "POST", "/names", other.access_token, {
      name: "\u0441\u043e\u0441\u043e\u0430",
    });
    expect([lookalike.status, lookalike.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NAME_CONFUSABLE"]);
    const taken = await ext(url, "POST", "/names", other.access_token, { name: "COCOA" });
    expect([taken.status, taken.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NAME_TAKEN"]);
  });

  it("holds a paid name for its payment, takes it through the sandbox provider, and records the payment", async () => {
    const owner = await subscriber(url);
    const held = await ext<NameView>(url, "POST", "/names", owner.access_token, { name: "zxcv" });
    expect(held.body.state).to.equal("held");
    const declined = await ext(url, "POST", "/names/zxcv/pay", owner.access_token, { source: DECLINED });
    expect([declined.status, declined.body.errcode]).to.deep.equal([402, "IO_CALLSIGN_PAYMENT_DECLINED"]);
    const paid = await ext<NameView>(url, "POST", "/names/zxcv/pay", owner.access_token, { source: CARD });
    expect(paid.body.state).to.equal("active");
    expect(paid.body.paid_until).to.be.above(Date.now() + 300 * 24 * 3600_000);
    expect(paid.body.events.map((e) => e.to)).to.deep.equal(["held", "active"]);
    const db = new pg.Client({ connectionString: net.env.DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query(
        `SELECT amount_cents, status FROM payments WHERE payer_id = $1 ORDER BY created_at`,
        [owner.user_id],
      );
      expect(rows.rows).to.deep.equal([
        { amount_cents: 5000, status: "declined" },
        { amount_cents: 5000, status: "succeeded" },
      ]);
    } finally {
      await db.end();
    }
  });

  it("releases an unpaid brand name when its hold runs out (a job), with a decaying premium", async () => {
    await net.dns.addZone("hooli.com.");
    const owner = await subscriber(url);
    const held = await ext<NameView>(url, "POST", "/names", owner.access_token, { name: "hooli" });
    expect([held.body.state, held.body.is_brand]).to.deep.equal(["held", true]);
    const released = await until("the hold to lapse", async () => {
      const q = (await quote("hooli")).body;
      return q.available ? q : undefined;
    });
    expect(released.premium_cents).to.be.above(0);
    const mine = await ext<{ names: NameView[] }>(url, "GET", "/names", owner.access_token);
    expect(mine.body.names).to.deep.equal([]);
  });

  it("makes a free user name chosen at registration the account's name, and refuses paid ones there", async () => {
    const reg = await api(url, "POST", `${CS}/register`, {
      body: { email: "short@example.test", password: "correct horse battery", username: "abc" },
    });
    expect([reg.status, reg.body.errcode]).to.deep.equal([402, "IO_CALLSIGN_PAYMENT_REQUIRED"]);
    const me = await subscriber(url, { username: "Wilhelmina" });
    const names = await ext<{ names: NameView[] }>(url, "GET", "/names", me.access_token);
    expect(names.body.names.map((n) => [n.name, n.kind, n.state])).to.deep.equal([
      ["wilhelmina", "user", "active"],
    ]);
    const clash = await api(url, "POST", `${CS}/register`, {
      body: { email: "clash@example.test", password: "correct horse battery", username: "wi1helmina" },
    });
    expect([clash.status, clash.body.errcode]).to.deep.equal([400, "M_USER_IN_USE"]);
    // Giving the name up frees it and the account's user name.
    expect((await ext(url, "DELETE", "/names/wilhelmina", me.access_token)).status).to.equal(200);
    const login = await api(url, "POST", `${CS}/login`, {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: "wilhelmina" },
        password: "correct horse battery",
      },
    });
    expect(login.status).to.equal(403);
  });
});

describe("names — term, grace and release across a restart", function () {
  this.timeout(90_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({
      spawn: true,
      env: { CALLSIGN_NAME_TERM_S: "2", CALLSIGN_NAME_GRACE_S: "4", CALLSIGN_NAME_PREMIUM_S: "60" },
    });
  });
  after(() => net?.close());

  it("moves an unrenewed name to grace, lets only the holder renew there, and releases it on time despite a restart", async () => {
    const owner = await subscriber(net.baseUrl);
    const active = await ext<NameView>(net.baseUrl, "POST", "/names", owner.access_token, {
      name: "bartholomew",
    });
    expect(active.body.state).to.equal("active");
    const grace = await until("grace", async () => {
      const v = (await ext<{ names: NameView[] }>(net.baseUrl, "GET", "/names", owner.access_token)).body
        .names[0];
      return v?.state === "grace" ? v : undefined;
    });
    expect(grace.grace_until).to.equal(grace.paid_until! + 4000);
    const other = await subscriber(net.baseUrl);
    const snipe = await ext(net.baseUrl, "POST", "/names", other.access_token, { name: "bartholomew" });
    expect([snipe.status, snipe.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NAME_TAKEN"]);

    // Restart in the middle of the grace period: the release job waits in Redis.
    await net.servers[0]!.stop();
    const second = await net.addServer();
    const released = await until("release", async () => {
      const q = (await ext<NameQuote>(second.baseUrl, "GET", "/names/bartholomew")).body;
      return q.available ? Date.now() : undefined;
    });
    expect(released).to.be.at.least(grace.grace_until!);
    // By the job that waited in Redis (as soon as the new process runs its workers), not by the
    // housekeeping sweep, which acts only a minute past a lost deadline. A loaded machine may
    // take some seconds to start the process, so the bound is generous.
    expect(released - grace.grace_until!).to.be.below(20_000);
    const q = (await ext<NameQuote>(second.baseUrl, "GET", "/names/bartholomew")).body;
    expect(q.premium_cents).to.be.above(0);
    const db = new pg.Client({ connectionString: net.env.DATABASE_URL });
    await db.connect();
    try {
      const events = await db.query(
        `SELECT from_state, to_state, actor FROM name_events WHERE name = 'bartholomew' ORDER BY id`,
      );
      expect(
        events.rows.map((e) => `${e.from_state}>${e.to_state}:${e.actor === "system" ? "system" : "holder"}`),
      ).to.deep.equal([
        "null>held:holder",
        "held>active:holder",
        "active>grace:system",
        "grace>released:system",
      ]);
    } finally {
      await db.end();
    }
  });
});
