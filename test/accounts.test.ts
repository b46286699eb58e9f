/** Accounts over HTTP: numbers, registration rules, login, logout, guests, captcha, tokens. */
import { expect } from "chai";
import pg from "pg";
import { CaptchaService } from "../server/src/services/captcha.js";
import { api, CS, register } from "./helpers/api.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("accounts", function () {
  this.timeout(120_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start();
  });
  after(() => net?.close());

  it("gives 200 concurrent registrations 200 distinct 9-digit numbers", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => register(net.baseUrl, { email: `crowd${i}@example.test` })),
    );
    const failed = results.filter((r) => r.status !== 200);
    expect(
      failed.map((r) => r.body),
      "failed registrations",
    ).to.deep.equal([]);
    const numbers = results.map((r) => r.body.user_id.slice(1).split(":")[0]!);
    for (const n of numbers) expect(n).to.match(/^\d{9}$/);
    expect(new Set(numbers).size).to.equal(200);
    expect(Math.min(...numbers.map(Number))).to.be.at.least(100000001);
  });

  it("refuses taken, malformed and weak registrations with the Matrix error codes", async () => {
    const ok = await register(net.baseUrl, { email: "Taken@Example.test", username: "taken" });
    expect(ok.status).to.equal(200);
    const cases: [Record<string, string>, number, string][] = [
      [{ email: "other@example.test", username: "TAKEN" }, 400, "M_USER_IN_USE"],
      [{ email: "taken@example.test" }, 400, "M_THREEPID_IN_USE"],
      [{ email: "x@example.test", username: "no spaces" }, 400, "M_INVALID_USERNAME"],
      [{ email: "x@example.test", username: "123456789" }, 400, "M_INVALID_USERNAME"],
      [{ email: "not-an-email" }, 400, "M_INVALID_PARAM"],
      [{ email: "y@example.test", password: "short" }, 400, "M_WEAK_PASSWORD"],
    ];
    for (const [fields, status, errcode] of cases) {
      const res = await register(net.baseUrl, fields as never);
      expect([res.status, res.body.errcode], JSON.stringify(fields)).to.deep.equal([status, errcode]);
    }
    const noEmail = await api(net.baseUrl, "POST", `${CS}/register`, {
      body: { password: "long enough pw" },
    });
    expect([noEmail.status, noEmail.body.errcode]).to.deep.equal([400, "M_MISSING_PARAM"]);
  });

  it("logs in by user name, e-mail and number; refuses a wrong password; logout kills the token", async () => {
    const reg = await register(net.baseUrl, { email: "carol@example.test", username: "carol" });
    const number = reg.body.user_id.slice(1).split(":")[0]!;
    const identifiers = [
      { type: "m.id.user", user: "Carol" },
      { type: "m.id.user", user: "carol@example.test" },
      { type: "m.id.user", user: number },
      { type: "m.id.user", user: reg.body.user_id },
      { type: "m.id.thirdparty", medium: "email", address: "CAROL@example.test" },
      { type: "io.callsign.id.number", number },
    ];
    for (const identifier of identifiers) {
      const res = await api(net.baseUrl, "POST", `${CS}/login`, {
        body: { type: "m.login.password", identifier, password: "correct horse battery" },
      });
      expect([res.status, res.body.user_id], JSON.stringify(identifier)).to.deep.equal([
        200,
        reg.body.user_id,
      ]);
    }
    const wrong = await api(net.baseUrl, "POST", `${CS}/login`, {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: "carol" },
        password: "nope nope",
      },
    });
    expect([wrong.status, wrong.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    const unknown = await api(net.baseUrl, "POST", `${CS}/login`, {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: "nobody" },
        password: "nope nope",
      },
    });
    expect([unknown.status, unknown.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);

    const token = reg.body.access_token;
    expect((await api(net.baseUrl, "GET", `${CS}/account/whoami`, { token })).body.user_id).to.equal(
      reg.body.user_id,
    );
    expect((await api(net.baseUrl, "POST", `${CS}/logout`, { token, body: {} })).status).to.equal(200);
    const after = await api(net.baseUrl, "GET", `${CS}/account/whoami`, { token });
    expect([after.status, after.body.errcode]).to.deep.equal([401, "M_UNKNOWN_TOKEN"]);
  });

  it("stores access tokens and passwords only as hashes", async () => {
    const reg = await register(net.baseUrl, { email: "hash@example.test", password: "a secret password" });
    const db = new pg.Client({ connectionString: net.env.DATABASE_URL });
    await db.connect();
    try {
      const tokens = await db.query(`SELECT token_hash FROM access_tokens WHERE user_id = $1`, [
        reg.body.user_id,
      ]);
      expect(tokens.rows).to.have.length(1);
      expect(tokens.rows[0].token_hash).to.not.include(reg.body.access_token);
      const acc = await db.query(`SELECT password_hash FROM accounts WHERE user_id = $1`, [reg.body.user_id]);
      expect(acc.rows[0].password_hash)
        .to.match(/^scrypt\$/)
        .and.not.include("a secret password");
    } finally {
      await db.end();
    }
  });

  it("lets guests talk in rooms that admit guests, but not create rooms or invite", async () => {
    const guest = await api(net.baseUrl, "POST", `${CS}/register?kind=guest`, { body: {} });
    expect(guest.status).to.equal(200);
    const gToken = guest.body.access_token as string;
    const gId = guest.body.user_id as string;
    expect(gId).to.match(/^@guest-[a-z0-9x]+:localhost$/);
    expect((await api(net.baseUrl, "GET", `${CS}/account/whoami`, { token: gToken })).body.is_guest).to.equal(
      true,
    );

    const denied = await api(net.baseUrl, "POST", `${CS}/createRoom`, { token: gToken, body: {} });
    expect([denied.status, denied.body.errcode]).to.deep.equal([403, "M_GUEST_ACCESS_FORBIDDEN"]);

    const host = await register(net.baseUrl, { email: "host@example.test" });
    const room = await api(net.baseUrl, "POST", `${CS}/createRoom`, {
      token: host.body.access_token,
      body: { invite: [gId] },
    });
    const roomId = encodeURIComponent(room.body.room_id as string);
    expect(
      (await api(net.baseUrl, "POST", `${CS}/rooms/${roomId}/join`, { token: gToken, body: {} })).status,
    ).to.equal(200);
    const sent = await api(net.baseUrl, "PUT", `${CS}/rooms/${roomId}/send/m.room.message/t1`, {
      token: gToken,
      body: { msgtype: "m.text", body: "hello from a guest" },
    });
    expect(sent.status).to.equal(200);
    const invite = await api(net.baseUrl, "POST", `${CS}/rooms/${roomId}/invite`, {
      token: gToken,
      body: { user_id: host.body.user_id },
    });
    expect([invite.status, invite.body.errcode]).to.deep.equal([403, "M_GUEST_ACCESS_FORBIDDEN"]);
  });

  it("updates display names in the member events of joined rooms", async () => {
    const a = await register(net.baseUrl, { email: "dn-a@example.test" });
    const b = await register(net.baseUrl, { email: "dn-b@example.test" });
    const room = await api(net.baseUrl, "POST", `${CS}/createRoom`, {
      token: a.body.access_token,
      body: { invite: [b.body.user_id] },
    });
    const roomId = encodeURIComponent(room.body.room_id as string);
    await api(net.baseUrl, "POST", `${CS}/rooms/${roomId}/join`, { token: b.body.access_token, body: {} });
    const userId = encodeURIComponent(b.body.user_id);
    const put = await api(net.baseUrl, "PUT", `${CS}/profile/${userId}/displayname`, {
      token: b.body.access_token,
      body: { displayname: "Bob Builder" },
    });
    expect(put.status).to.equal(200);
    expect((await api(net.baseUrl, "GET", `${CS}/profile/${userId}`)).body.displayname).to.equal(
      "Bob Builder",
    );
    const members = await api<{ joined: Record<string, { display_name: string }> }>(
      net.baseUrl,
      "GET",
      `${CS}/rooms/${roomId}/joined_members`,
      { token: a.body.access_token },
    );
    expect(members.body.joined[b.body.user_id]!.display_name).to.equal("Bob Builder");
    const other = await api(net.baseUrl, "PUT", `${CS}/profile/${userId}/displayname`, {
      token: a.body.access_token,
      body: { displayname: "Hijack" },
    });
    expect([other.status, other.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
  });

  it("answers /health and /metrics", async () => {
    const health = await api(net.baseUrl, "GET", "/health");
    expect(health.status).to.equal(200);
    expect(health.body).to.include({ status: "ok", embedded: false });
    const metrics = await fetch(`${net.baseUrl}/metrics`);
    expect(metrics.headers.get("content-type")).to.match(/^text\/plain/);
    const text = await metrics.text();
    expect(text).to.match(
      /callsign_http_requests_total\{method="post",route="\/register",status="200"\} \d+/,
    );
    expect(text).to.include("callsign_sync_long_polls");
  });
});

describe("guest registration with the proof-of-work captcha", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({ env: { CALLSIGN_GUEST_CAPTCHA: "true" } });
  });
  after(() => net?.close());

  const guestRegister = (auth?: unknown) =>
    api<{
      session: string;
      flows: { stages: string[] }[];
      params: Record<string, { salt: string; challenge: string; maxnumber: number; signature: string }>;
      errcode?: string;
      user_id?: string;
    }>(net.baseUrl, "POST", `${CS}/register?kind=guest`, { body: auth ? { auth } : {} });

  it("asks for the captcha stage, accepts a solution once and refuses a wrong or reused one", async () => {
    const first = await guestRegister();
    expect(first.status).to.equal(401);
    expect(first.body.flows).to.deep.equal([{ stages: ["io.callsign.captcha"] }]);
    const challenge = first.body.params["io.callsign.captcha"]!;
    const number = CaptchaService.solve(challenge);
    const response = CaptchaService.encode({ ...challenge, number });

    const wrong = await guestRegister({
      type: "io.callsign.captcha",
      session: first.body.session,
      response: CaptchaService.encode({ ...challenge, number: (number + 1) % (challenge.maxnumber + 1) }),
    });
    expect([wrong.status, wrong.body.errcode]).to.deep.equal([401, "M_CAPTCHA_INVALID"]);

    const ok = await guestRegister({ type: "io.callsign.captcha", session: first.body.session, response });
    expect(ok.status).to.equal(200);
    expect(ok.body.user_id).to.match(/^@guest-/);

    const second = await guestRegister();
    const reused = await guestRegister({
      type: "io.callsign.captcha",
      session: second.body.session,
      response,
    });
    expect([reused.status, reused.body.errcode]).to.deep.equal([401, "M_CAPTCHA_INVALID"]);

    const forged = await guestRegister({
      type: "io.callsign.captcha",
      session: second.body.session,
      response: CaptchaService.encode({ ...challenge, number, signature: "0".repeat(64) }),
    });
    expect([forged.status, forged.body.errcode]).to.deep.equal([401, "M_CAPTCHA_INVALID"]);
  });
});

describe("rate limits and TURN credentials", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let guest: { user_id: string; access_token: string };
  before(async () => {
    net = await TestNetwork.start({
      env: {
        CALLSIGN_AUTH_RATE_PER_MIN: "5",
        CALLSIGN_TURN_URIS: "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp",
        CALLSIGN_TURN_SECRET: "coturn-shared-secret",
        CALLSIGN_TURN_TTL_S: "3600",
      },
    });
    // Registration counts against the same per-IP budget as logins: one of the five.
    guest = (await api<typeof guest>(net.baseUrl, "POST", `${CS}/register?kind=guest`, { body: {} })).body;
  });
  after(() => net?.close());

  it("answers M_LIMIT_EXCEEDED with retry_after_ms once the login budget is spent", async () => {
    const attempt = () =>
      api(net.baseUrl, "POST", `${CS}/login`, {
        body: {
          type: "m.login.password",
          identifier: { type: "m.id.user", user: "nobody" },
          password: "x".repeat(8),
        },
      });
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 6 && !limited; i++) {
      const res = await attempt();
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 4)).to.deep.equal([403, 403, 403, 403]);
    expect(limited, `statuses ${statuses}`).to.not.equal(undefined);
    expect(limited!.body.errcode).to.equal("M_LIMIT_EXCEEDED");
    expect(limited!.body.retry_after_ms).to.be.a("number").above(0);
    expect(Number(limited!.headers.get("retry-after"))).to.be.above(0);
  });

  it("hands out coturn shared-secret credentials", async () => {
    const { createHmac } = await import("node:crypto");
    const turn = await api<{ username: string; password: string; uris: string[]; ttl: number }>(
      net.baseUrl,
      "GET",
      `${CS}/voip/turnServer`,
      { token: guest.access_token },
    );
    expect(turn.status).to.equal(200);
    expect(turn.body.uris).to.deep.equal([
      "turn:127.0.0.1:3478?transport=udp",
      "turn:127.0.0.1:3478?transport=tcp",
    ]);
    expect(turn.body.ttl).to.equal(3600);
    const [expiry, user] = turn.body.username.split(/:(.*)/s);
    expect(user).to.equal(guest.user_id);
    expect(Number(expiry) - Date.now() / 1000).to.be.within(3500, 3601);
    const expected = createHmac("sha1", "coturn-shared-secret").update(turn.body.username).digest("base64");
    expect(turn.body.password).to.equal(expected);
  });
});
