/**
 * Calling people on one provider (F1–F7): handles, topics, inbox options, guests and captcha,
 * the queue and its positions, replies, declines, take-only-the-head, SMS, missed calls,
 * call-backs, tags and call links — over HTTP against a real homeserver.
 */
import { expect } from "chai";
import type { CallView } from "../protocol/callsign/calls.js";
import { CaptchaService } from "../server/src/services/captcha.js";
import { api, CS } from "./helpers/api.js";
import { ext, guest, placeCall, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("calls", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  before(async () => {
    net = await TestNetwork.start();
    url = net.baseUrl;
  });
  after(() => net?.close());

  it("queues three callers FIFO and moves their positions as calls complete", async () => {
    const callee = await subscriber(url, { online: true, username: `callee${Date.now() % 100000}` });
    const callers = [await subscriber(url), await subscriber(url), await guest(url)];
    const handles = [callee.number, callee.email, `callee${Date.now() % 100000}`];
    const placed: CallView[] = [];
    for (const [i, c] of callers.entries()) {
      const res = await placeCall(url, c.access_token, {
        handle: i === 2 ? callee.number : handles[i],
        topic: `question ${i}`,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      placed.push(res.body);
    }
    expect(placed.map((c) => [c.state, c.position])).to.deep.equal([
      ["queued", 1],
      ["queued", 2],
      ["queued", 3],
    ]);
    expect(placed[2]!.caller.is_guest).to.equal(true);
    expect(placed[2]!.video, "guests never publish video").to.equal(false);
    expect(placed[0]!.video).to.equal(true);

    const queue = await ext<{ calls: CallView[] }>(url, "GET", "/queue", callee.access_token);
    expect(queue.body.calls.map((c) => c.topic)).to.deep.equal(["question 0", "question 1", "question 2"]);

    const notHead = await ext(url, "POST", `/calls/${placed[1]!.call_id}/take`, callee.access_token);
    expect([notHead.status, notHead.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NOT_HEAD"]);

    const replied = await ext<CallView>(
      url,
      "POST",
      `/calls/${placed[0]!.call_id}/reply`,
      callee.access_token,
      {
        text: "Read the FAQ",
      },
    );
    expect([replied.body.state, replied.body.reply]).to.deep.equal(["replied", "Read the FAQ"]);
    const seenByCaller = await ext<CallView>(
      url,
      "GET",
      `/calls/${placed[0]!.call_id}`,
      callers[0]!.access_token,
    );
    expect(seenByCaller.body.reply).to.equal("Read the FAQ");
    const moved = await Promise.all(
      placed
        .slice(1)
        .map((p, i) => ext<CallView>(url, "GET", `/calls/${p.call_id}`, callers[i + 1]!.access_token)),
    );
    expect(moved.map((r) => r.body.position)).to.deep.equal([1, 2]);

    const declined = await ext<CallView>(
      url,
      "POST",
      `/calls/${placed[1]!.call_id}/decline`,
      callee.access_token,
      {
        reason: "busy",
      },
    );
    expect([declined.body.state, declined.body.reason]).to.deep.equal(["declined", "busy"]);
    const last = await ext<CallView>(url, "GET", `/calls/${placed[2]!.call_id}`, callers[2]!.access_token);
    expect(last.body.position).to.equal(1);

    const taken = await ext<CallView>(url, "POST", `/calls/${placed[2]!.call_id}/take`, callee.access_token);
    expect(taken.body.state).to.equal("answered");
    const again = await ext(url, "POST", `/calls/${placed[2]!.call_id}/take`, callee.access_token);
    expect([again.status, again.body.errcode, again.body.state]).to.deep.equal([
      409,
      "IO_CALLSIGN_BAD_TRANSITION",
      "answered",
    ]);
    // Both are in the call room and can chat there.
    const room = encodeURIComponent(taken.body.room_id);
    const chat = await api(url, "PUT", `${CS}/rooms/${room}/send/m.room.message/hello`, {
      token: callers[2]!.access_token,
      body: { msgtype: "m.text", body: "hello from the guest" },
    });
    expect(chat.status).to.equal(200);
    const ended = await ext<CallView>(
      url,
      "POST",
      `/calls/${placed[2]!.call_id}/end`,
      callers[2]!.access_token,
    );
    expect(ended.body.state).to.equal("ended");
    expect(
      (await ext<{ calls: CallView[] }>(url, "GET", "/queue", callee.access_token)).body.calls,
    ).to.deep.equal([]);
  });

  it("applies inbox options: calls off, topic required, guests refused, captcha for a guest's one-click call", async () => {
    const callee = await subscriber(url, { online: true });
    const g = await guest(url);
    const setOpts = (o: Record<string, boolean>) => ext(url, "PUT", "/inbox/options", callee.access_token, o);

    await setOpts({ calls: false });
    const off = await placeCall(url, g.access_token, { handle: callee.number, topic: "hi" });
    expect([off.status, off.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_CALLS_OFF"]);

    await setOpts({ calls: true, one_click: false });
    const noTopic = await placeCall(url, g.access_token, { handle: callee.number });
    expect([noTopic.status, noTopic.body.errcode]).to.deep.equal([400, "IO_CALLSIGN_TOPIC_REQUIRED"]);

    await setOpts({ one_click: true, anonymous: false });
    const anon = await placeCall(url, g.access_token, { handle: callee.number, topic: "hi" });
    expect([anon.status, anon.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_ANONYMOUS_REFUSED"]);

    await setOpts({ anonymous: true, captcha: true });
    const ask = await placeCall(url, g.access_token, { handle: callee.number });
    expect([ask.status, ask.body.errcode]).to.deep.equal([401, "IO_CALLSIGN_CAPTCHA_REQUIRED"]);
    const challenge = (
      ask.body as unknown as { captcha: Parameters<typeof CaptchaService.solve>[0] & { signature: string } }
    ).captcha;
    const wrong = await placeCall(url, g.access_token, {
      handle: callee.number,
      captcha: CaptchaService.encode({ ...challenge, number: -1 }),
    });
    expect([wrong.status, wrong.body.errcode]).to.deep.equal([401, "M_CAPTCHA_INVALID"]);
    const solved = CaptchaService.encode({ ...challenge, number: CaptchaService.solve(challenge) });
    const ok = await placeCall(url, g.access_token, { handle: callee.number, captcha: solved });
    expect([ok.status, ok.body.state]).to.deep.equal([200, "queued"]);
    const dup = await placeCall(url, g.access_token, { handle: callee.number, topic: "again" });
    expect([dup.status, dup.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_ALREADY_CALLING"]);
    // A registered caller without a topic needs no captcha.
    const member = await subscriber(url);
    expect((await placeCall(url, member.access_token, { handle: callee.number })).body.state).to.equal(
      "queued",
    );
    // A guest with a topic needs none either.
    const g2 = await guest(url);
    expect(
      (await placeCall(url, g2.access_token, { handle: callee.number, topic: "topic" })).body.state,
    ).to.equal("queued");
  });

  it("answers unknown handles with a clear 404 and refuses calling oneself", async () => {
    const me = await subscriber(url, { online: true });
    const unknown = await placeCall(url, me.access_token, { handle: "999999999" });
    expect([unknown.status, unknown.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);
    const self = await placeCall(url, me.access_token, { handle: me.number });
    expect([self.status, self.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
    const long = await placeCall(url, me.access_token, { handle: "999999999", topic: "x".repeat(501) });
    expect([long.status, long.body.errcode]).to.deep.equal([400, "M_BAD_JSON"]);
  });

  it("answers a call's invite only through the call, never by Matrix join or reject", async () => {
    const callee = await subscriber(url, { online: true });
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: callee.number, topic: "membership" });
    const room = encodeURIComponent(call.body.room_id);
    for (const action of ["join", "leave"]) {
      const res = await api(url, "POST", `${CS}/rooms/${room}/${action}`, {
        token: callee.access_token,
        body: {},
      });
      expect([action, res.status, res.body.errcode]).to.deep.equal([action, 403, "M_FORBIDDEN"]);
    }
    expect(
      (await ext<CallView>(url, "GET", `/calls/${call.body.call_id}`, caller.access_token)).body.state,
    ).to.equal("queued");
  });

  it("lets a callee who comes online answer a call placed while they were offline", async () => {
    const callee = await subscriber(url);
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, {
      handle: callee.number,
      topic: "while you were out",
    });
    expect(call.body.state).to.equal("offline");
    await api(url, "GET", `${CS}/sync?timeout=0`, { token: callee.access_token });
    const taken = await ext<CallView>(url, "POST", `/calls/${call.body.call_id}/take`, callee.access_token);
    expect([taken.status, taken.body.state]).to.deep.equal([200, "answered"]);
  });

  it("ends overdue calls whose time-out job was lost (the housekeeping sweep)", async () => {
    const ctx = net.servers[0]!.homeserver!.ctx;
    const callee = await subscriber(url, { online: true });
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: callee.number, topic: "lost job" });
    await ctx.jobs.cancel("call-ring-timeout", call.body.call_id); // as if the job never reached Redis
    expect(await ctx.callTimers.sweep()).to.equal(0);
    expect(await ctx.callTimers.sweep(Date.now() + ctx.config.calls.ringTimeoutMs + 61_000)).to.be.at.least(
      1,
    );
    expect(
      (await ext<CallView>(url, "GET", `/calls/${call.body.call_id}`, caller.access_token)).body.state,
    ).to.equal("missed");
  });

  it("keeps calls private to their two parties and the call state server-written", async () => {
    const callee = await subscriber(url, { online: true });
    const caller = await subscriber(url);
    const stranger = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: callee.number, topic: "private" });
    const peek = await ext(url, "GET", `/calls/${call.body.call_id}`, stranger.access_token);
    expect([peek.status, peek.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);
    const steal = await ext(url, "POST", `/calls/${call.body.call_id}/take`, caller.access_token);
    expect([steal.status, steal.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    const forge = await api(
      url,
      "PUT",
      `${CS}/rooms/${encodeURIComponent(call.body.room_id)}/state/io.callsign.call/`,
      {
        token: caller.access_token,
        body: { state: "answered" },
      },
    );
    expect([forge.status, forge.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
  });
});

describe("calls — guest limits", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({
      env: { CALLSIGN_GUEST_CALLS_PER_MIN: "3", CALLSIGN_GUEST_CALLS_PER_TARGET_PER_MIN: "2" },
    });
  });
  after(() => net?.close());

  it("limits guest calls per subscriber and per IP address", async () => {
    const [a, b] = [
      await subscriber(net.baseUrl, { online: true }),
      await subscriber(net.baseUrl, { online: true }),
    ];
    const call = async (target: string) =>
      placeCall(net.baseUrl, (await guest(net.baseUrl)).access_token, { handle: target, topic: "t" });
    expect((await call(a.number)).status).to.equal(200);
    expect((await call(a.number)).status).to.equal(200);
    const perTarget = await call(a.number);
    expect([perTarget.status, perTarget.body.errcode]).to.deep.equal([429, "M_LIMIT_EXCEEDED"]);
    const perIp = await call(b.number);
    expect([perIp.status, perIp.body.errcode]).to.deep.equal([429, "M_LIMIT_EXCEEDED"]);
    expect((perIp.body as { retry_after_ms?: number }).retry_after_ms).to.be.above(0);
    // Registered callers are not counted.
    const member = await subscriber(net.baseUrl);
    expect(
      (await placeCall(net.baseUrl, member.access_token, { handle: b.number, topic: "t" })).status,
    ).to.equal(200);
  });
});
