/**
 * The subscriber's side of calls on one provider (F6, F7): SMS left for an offline subscriber,
 * missed calls, replies and call-backs, tags and call links — over HTTP against a real
 * homeserver.
 */
import { expect } from "chai";
import type { CallView } from "../protocol/callsign/calls.js";
import { api, CS } from "./helpers/api.js";
import { ext, guest, inboxOf, placeCall, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("calls — inbox, call-backs and tags", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  before(async () => {
    net = await TestNetwork.start();
    url = net.baseUrl;
  });
  after(() => net?.close());

  it("lets the caller of an offline subscriber leave an SMS, which the subscriber reads, answers and calls back", async () => {
    const callee = await subscriber(url);
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: callee.number, topic: "Invoice 42" });
    expect(call.body.state).to.equal("offline");
    const sms = await ext<CallView>(url, "POST", `/calls/${call.body.call_id}/sms`, caller.access_token, {
      text: "Please call me about the invoice",
    });
    expect(sms.body.state).to.equal("left_sms");
    const inbox = await inboxOf(url, callee.access_token);
    expect(inbox.unread).to.deep.equal({ sms: 1, missed: 0 });
    expect(inbox.sms[0]).to.include({
      topic: "Invoice 42",
      text: "Please call me about the invoice",
      call_id: call.body.call_id,
    });
    expect(inbox.sms[0]!.from.user_id).to.equal(caller.user_id);

    // The inbox counts reach the subscriber's /sync as account data.
    const synced = await api<{
      account_data: { events: { type: string; content: Record<string, number> }[] };
    }>(url, "GET", `${CS}/sync`, { token: callee.access_token });
    const counts = synced.body.account_data.events.find((e) => e.type === "io.callsign.inbox");
    expect(counts?.content).to.deep.equal({ unread_sms: 1, unread_missed: 0 });

    const reply = await ext(url, "POST", `/sms/${inbox.sms[0]!.sms_id}/reply`, callee.access_token, {
      text: "Tomorrow",
    });
    expect(reply.status).to.equal(200);
    const callerInbox = await inboxOf(url, caller.access_token);
    expect(callerInbox.sms[0]).to.include({ text: "Tomorrow", reply_to: inbox.sms[0]!.sms_id });

    await api(url, "GET", `${CS}/sync?timeout=0`, { token: caller.access_token }); // the caller is online now
    const back = await ext<CallView>(
      url,
      "POST",
      `/sms/${inbox.sms[0]!.sms_id}/call-back`,
      callee.access_token,
      {},
    );
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body).to.include({ state: "queued", topic: "Invoice 42" });
    expect(back.body.callee.user_id).to.equal(caller.user_id);
    expect(back.body.callback_of).to.deep.equal({ kind: "sms", id: inbox.sms[0]!.sms_id });
    expect((await inboxOf(url, callee.access_token)).unread.sms).to.equal(0);
  });

  it("records a missed call when the caller of an offline subscriber gives up, and refuses calling a guest back", async () => {
    const callee = await subscriber(url);
    const g = await guest(url);
    const call = await placeCall(url, g.access_token, { handle: callee.number, topic: "Hello?" });
    const gaveUp = await ext<CallView>(url, "POST", `/calls/${call.body.call_id}/cancel`, g.access_token);
    expect(gaveUp.body.state).to.equal("missed");
    const inbox = await inboxOf(url, callee.access_token);
    expect(inbox.missed.map((m) => m.call_id)).to.deep.equal([call.body.call_id]);
    expect(inbox.unread.missed).to.equal(1);
    const back = await ext(url, "POST", `/calls/${call.body.call_id}/call-back`, callee.access_token, {});
    expect([back.status, back.body.errcode]).to.deep.equal([400, "IO_CALLSIGN_NOT_SUBSCRIBER"]);
    await ext(url, "POST", "/inbox/read", callee.access_token, { calls: [call.body.call_id] });
    expect((await inboxOf(url, callee.access_token)).unread.missed).to.equal(0);
  });

  it("serves call links as JSON and HTML, with tags' presets and expiry", async () => {
    const callee = await subscriber(url, { online: true });
    const tag = await ext(url, "POST", "/tags", callee.access_token, {
      name: "support",
      topic: "Support request",
      anonymous: true,
      one_click: true,
      expires_at: Date.now() + 60_000,
    });
    expect(tag.body).to.include({ name: "support", link: `/call/${callee.number}/support`, expired: false });
    const dupTag = await ext(url, "POST", "/tags", callee.access_token, {
      name: "support",
      expires_at: Date.now() + 60_000,
    });
    expect([dupTag.status, dupTag.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NAME_TAKEN"]);

    const json = await fetch(`${url}/call/${callee.number}/support`, {
      headers: { Accept: "application/json" },
    });
    const view = (await json.json()) as {
      user: { user_id: string };
      tag: { topic: string };
      online: boolean;
    };
    expect([json.status, view.user.user_id, view.tag.topic, view.online]).to.deep.equal([
      200,
      callee.user_id,
      "Support request",
      true,
    ]);
    const html = await fetch(`${url}/call/${callee.number}`, { headers: { Accept: "text/html" } });
    expect(html.status).to.equal(200);
    expect(html.headers.get("content-type")).to.match(/text\/html/);
    const missing = await fetch(`${url}/call/nobody-here`, { headers: { Accept: "application/json" } });
    expect([missing.status, ((await missing.json()) as { errcode: string }).errcode]).to.deep.equal([
      404,
      "IO_CALLSIGN_UNKNOWN_HANDLE",
    ]);
    expect((await fetch(`${url}/call/nobody-here`, { headers: { Accept: "text/html" } })).status).to.equal(
      404,
    );

    const caller = await subscriber(url);
    const viaTag = await placeCall(url, caller.access_token, { handle: callee.number, tag: "support" });
    expect([viaTag.body.topic, viaTag.body.tag]).to.deep.equal(["Support request", "support"]);
  });

  it("never rings an expired tag: the expiry job marks it and calls are refused", async () => {
    const callee = await subscriber(url, { online: true });
    await ext(url, "POST", "/tags", callee.access_token, {
      name: "flash",
      anonymous: true,
      one_click: true,
      expires_at: Date.now() + 300,
    });
    await new Promise((r) => setTimeout(r, 400));
    await net.idle();
    const tags = await ext<{ tags: { name: string; expired: boolean }[] }>(
      url,
      "GET",
      "/tags",
      callee.access_token,
    );
    expect(tags.body.tags.find((t) => t.name === "flash")?.expired).to.equal(true);
    const caller = await subscriber(url);
    const res = await placeCall(url, caller.access_token, {
      handle: callee.number,
      tag: "flash",
      topic: "late",
    });
    expect([res.status, res.body.errcode]).to.deep.equal([410, "IO_CALLSIGN_TAG_EXPIRED"]);
    const link = await fetch(`${url}/call/${callee.number}/flash`, {
      headers: { Accept: "application/json" },
    });
    expect(link.status).to.equal(410);
    expect(
      (await ext<{ calls: unknown[] }>(url, "GET", "/queue", callee.access_token)).body.calls,
    ).to.deep.equal([]);
  });
});

describe("calls — ring time-out", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({ env: { CALLSIGN_RING_TIMEOUT_S: "1" } });
  });
  after(() => net?.close());

  it("turns a call nobody takes into a missed call, shown once in the inbox, and calls back", async () => {
    const callee = await subscriber(net.baseUrl, { online: true });
    const caller = await subscriber(net.baseUrl, { online: true });
    const call = await placeCall(net.baseUrl, caller.access_token, {
      handle: callee.number,
      topic: "Ring ring",
    });
    expect(call.body.state).to.equal("queued");
    await new Promise((r) => setTimeout(r, 1100));
    await net.idle();
    const after = await ext<CallView>(net.baseUrl, "GET", `/calls/${call.body.call_id}`, caller.access_token);
    expect(after.body.state).to.equal("missed");
    const inbox = await inboxOf(net.baseUrl, callee.access_token);
    expect(inbox.missed.map((m) => m.call_id)).to.deep.equal([call.body.call_id]);
    const back = await ext<CallView>(
      net.baseUrl,
      "POST",
      `/calls/${call.body.call_id}/call-back`,
      callee.access_token,
      {},
    );
    expect([back.body.state, back.body.topic, back.body.callee.user_id]).to.deep.equal([
      "queued",
      "Ring ring",
      caller.user_id,
    ]);
    expect(back.body.callback_of).to.deep.equal({ kind: "call", id: call.body.call_id });
  });
});
