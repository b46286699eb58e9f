/**
 * Calls and messages across providers (issue 6): three providers, each its own homeserver
 * process on its own loopback address with its own database and Redis prefix, one Knot DNS.
 * A user on A calls a user on B and a verified brand's service on C; the callee's provider
 * hosts each call and its room, A relays its caller's actions and shows the host's events in
 * the caller's own /sync. SMS travel both ways through the delivery queue, also while the
 * recipient's provider is stopped.
 */
import { expect } from "chai";
import type { CallView, InboxView, SmsView } from "../protocol/callsign/calls.js";
import type { DomainView } from "../protocol/callsign/domains.js";
import { api, CS } from "./helpers/api.js";
import { ext, guest, inboxOf, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { TestFederation } from "./helpers/federation-network.js";
import { ServiceKit } from "./helpers/services.js";
import { until } from "./helpers/wait.js";

const [A, B, C] = ["a.example.test", "b.example.test", "c.example.test"];

/** The latest `io.callsign.call` state of every call room in the user's /sync. */
async function syncedCalls(url: string, token: string): Promise<Map<string, CallView>> {
  const res = await api<{ rooms?: { join?: Record<string, RoomSync>; invite?: Record<string, unknown> } }>(
    url,
    "GET",
    `${CS}/sync?timeout=0`,
    { token },
  );
  const calls = new Map<string, CallView>();
  for (const [roomId, room] of Object.entries(res.body.rooms?.join ?? {})) {
    const events = [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])];
    const last = events.filter((e) => e.type === "io.callsign.call").pop();
    if (last) calls.set(roomId, last.content as unknown as CallView);
  }
  return calls;
}
interface RoomSync {
  state?: { events: { type: string; content: Record<string, unknown> }[] };
  timeline?: {
    events: {
      event_id: string;
      type: string;
      content: Record<string, unknown>;
      sender: string;
      unsigned?: Record<string, unknown>;
    }[];
  };
}

/** Waits until the caller's /sync on its own provider shows the call matching `check`. */
const seen = (url: string, who: Subscriber, roomId: string, what: string, check: (c: CallView) => boolean) =>
  until(`${what} in the caller's /sync`, async () => {
    const c = (await syncedCalls(url, who.access_token)).get(roomId);
    return c && check(c) ? c : undefined;
  });

describe("federation: calls and SMS across three providers", function () {
  this.timeout(120_000);
  let fed: TestFederation;
  const url = (name: string) => fed.get(name).url;

  before(async () => {
    fed = await TestFederation.start([A, B, C]);
  });
  after(async () => {
    await fed?.close();
  });

  it("calls a user on B: host's queue, positions and text reply reach the callers on A", async () => {
    const bella = await subscriber(url(B), { online: true, username: "bellab" });
    const [alice, arthur] = [await subscriber(url(A)), await subscriber(url(A))];

    const first = await placeCall(url(A), alice.access_token, { handle: `bellab@${B}`, topic: "Dinner" });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.room_id.endsWith(`:${B}`)).to.equal(true);
    expect(first.body).to.include({ state: "queued", position: 1, topic: "Dinner" });
    expect(first.body.caller).to.include({
      user_id: alice.user_id,
      provider: A,
      handle: `${alice.number}@${A}`,
    });
    const second = await placeCall(url(A), arthur.access_token, { handle: `bellab@${B}`, topic: "Lunch" });
    expect(second.body.position).to.equal(2);

    // B's callee sees both calls in their queue, from A's users.
    const queue = (await ext<{ calls: CallView[] }>(url(B), "GET", "/queue", bella.access_token)).body.calls;
    expect(queue.map((c) => [c.caller.user_id, c.position])).to.deep.equal([
      [alice.user_id, 1],
      [arthur.user_id, 2],
    ]);
    // The host's room reaches the callers' own /sync on A.
    await seen(url(A), alice, first.body.room_id, "the queued call", (c) => c.position === 1);
    await seen(url(A), arthur, second.body.room_id, "the second place", (c) => c.position === 2);

    // A message from A's caller goes to the host and appears in B's room.
    const sent = await api<{ event_id: string }>(
      url(A),
      "PUT",
      `${CS}/rooms/${encodeURIComponent(first.body.room_id)}/send/m.room.message/t1`,
      { token: alice.access_token, body: { msgtype: "m.text", body: "Are you free?" } },
    );
    expect(sent.status, JSON.stringify(sent.body)).to.equal(200);
    // The host stored it in its room, in the caller's name (B's callee, only invited, reads it once taken).
    const onB = await fed
      .get(B)
      .net.query("SELECT room_id, sender FROM events WHERE event_id = $1", [sent.body.event_id]);
    expect(onB).to.deep.equal([{ room_id: first.body.room_id, sender: alice.user_id }]);

    // …and comes back to the caller's own /sync on A in the host's order, as their transaction.
    const echo = await until("the message in the caller's /sync", async () => {
      const res = await api<{ rooms?: { join?: Record<string, RoomSync> } }>(
        url(A),
        "GET",
        `${CS}/sync?timeout=0`,
        {
          token: alice.access_token,
        },
      );
      const timeline = res.body.rooms?.join?.[first.body.room_id]?.timeline?.events ?? [];
      return timeline.find((e) => e.event_id === sent.body.event_id);
    });
    expect(echo.sender).to.equal(alice.user_id);
    expect(echo.unsigned?.transaction_id).to.equal("t1");

    // B's callee replies in text: the first caller sees the reply, the second moves up.
    const replied = await ext<CallView>(
      url(B),
      "POST",
      `/calls/${first.body.call_id}/reply`,
      bella.access_token,
      {
        text: "Call me at eight",
      },
    );
    expect(replied.body.state).to.equal("replied");
    const reply = await seen(url(A), alice, first.body.room_id, "the reply", (c) => c.state === "replied");
    expect(reply.reply).to.equal("Call me at eight");
    await seen(url(A), arthur, second.body.room_id, "the new position", (c) => c.position === 1);
    const view = await ext<CallView>(url(A), "GET", `/calls/${second.body.call_id}`, arthur.access_token);
    expect(view.body.position).to.equal(1);

    // The second caller gives up through A; B's call ends.
    const cancelled = await ext<CallView>(
      url(A),
      "POST",
      `/calls/${second.body.call_id}/cancel`,
      arthur.access_token,
    );
    expect(cancelled.body.state).to.equal("cancelled");
    const onHost = await ext<CallView>(url(B), "GET", `/calls/${second.body.call_id}`, bella.access_token);
    expect(onHost.body.state).to.equal("cancelled");
  });

  it("describes a remote handle as its provider does, and passes the host's refusals on", async () => {
    const quiet = await subscriber(url(B), { username: "quietb" });
    await ext(url(B), "PUT", "/inbox/options", quiet.access_token, { one_click: false });
    const view = await ext<{ kind: string; user: { provider?: string; user_id: string } }>(
      url(A),
      "GET",
      `/handles/quietb@${B}`,
    );
    expect(view.status, JSON.stringify(view.body)).to.equal(200);
    expect(view.body.user).to.include({ user_id: quiet.user_id, provider: B });
    const caller = await subscriber(url(A));
    const refused = await placeCall(url(A), caller.access_token, { handle: `quietb@${B}` });
    expect([refused.status, refused.body.errcode]).to.deep.equal([400, "IO_CALLSIGN_TOPIC_REQUIRED"]);
    const unknown = await ext(url(A), "GET", `/handles/nobody@${B}`);
    expect([unknown.status, unknown.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);
  });

  it("calls a verified brand's service on C: taken, transferred inside C, hung up from A; a guest stays a guest", async () => {
    const [op, expert] = [
      await subscriber(url(C), { online: true }),
      await subscriber(url(C), { online: true }),
    ];
    const kit = await ServiceKit.start(url(C), "Acme");
    const desk = await kit.service([op]);
    const experts = await kit.service([expert]);
    const claim = (
      await ext<DomainView>(url(C), "POST", "/domains", kit.owner.access_token, { domain: "acme.com" })
    ).body;
    await fed.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    await fed.dns.set("_callsign.acme.com.", "TXT", [`v=callsign1 provider=${C}`]);
    await ext(url(C), "POST", "/domains/acme.com/check", kit.owner.access_token);
    const given = await ext(
      url(C),
      "POST",
      `/services/${desk.service_id}/addresses`,
      kit.owner.access_token,
      {
        address: "acme.com",
      },
    );
    expect(given.status, JSON.stringify(given.body)).to.equal(200);

    const alice = await subscriber(url(A));
    const call = await placeCall(url(A), alice.access_token, { handle: "acme.com", topic: "An order" });
    expect(call.status, JSON.stringify(call.body)).to.equal(200);
    expect(call.body.callee.user_id).to.equal(desk.user_id);
    expect(call.body.service_id).to.equal(desk.service_id);
    const taken = await ext<CallView>(url(C), "POST", `/calls/${call.body.call_id}/take`, op.access_token);
    expect(taken.body.state, JSON.stringify(taken.body)).to.equal("answered");
    const answered = await seen(
      url(A),
      alice,
      call.body.room_id,
      "the answer",
      (c) => c.state === "answered",
    );
    expect(answered.operator?.user_id).to.equal(op.user_id);

    // C's operator sends the call on to the experts' service; A's caller sees the move and the new taker.
    const moved = await ext<CallView>(
      url(C),
      "POST",
      `/calls/${call.body.call_id}/transfer`,
      op.access_token,
      {
        service_id: experts.service_id,
        note: "needs an expert",
      },
    );
    expect(moved.body.state, JSON.stringify(moved.body)).to.equal("queued");
    const queued = await seen(url(A), alice, call.body.room_id, "the transfer", (c) => c.hops.length === 1);
    expect([queued.service_id, queued.hops[0]!.note]).to.deep.equal([experts.service_id, "needs an expert"]);
    await ext(url(C), "POST", `/calls/${call.body.call_id}/take`, expert.access_token);
    await seen(url(A), alice, call.body.room_id, "the expert", (c) => c.operator?.user_id === expert.user_id);

    // The caller hangs up through A: the host ends the call for both sides.
    const ended = await ext<CallView>(url(A), "POST", `/calls/${call.body.call_id}/end`, alice.access_token);
    expect(ended.body.state, JSON.stringify(ended.body)).to.equal("ended");
    const onHost = await ext<CallView>(url(C), "GET", `/calls/${call.body.call_id}`, expert.access_token);
    expect(onHost.body.state).to.equal("ended");

    // A guest of A reaches C as a guest: no video, no call-back; C's operator declines with a reason.
    const visitor = await guest(url(A));
    const guestCall = await placeCall(url(A), visitor.access_token, {
      handle: "acme.com",
      topic: "A question",
    });
    expect(guestCall.status, JSON.stringify(guestCall.body)).to.equal(200);
    expect(guestCall.body.caller.is_guest).to.equal(true);
    expect(guestCall.body.caller.handle).to.equal(undefined);
    expect(guestCall.body.video).to.equal(false);
    const left = await ext(url(A), "POST", `/calls/${guestCall.body.call_id}/sms`, visitor.access_token, {
      text: "Call me",
      call_back: true,
    });
    expect(left.body.errcode).to.equal("IO_CALLSIGN_NOT_SUBSCRIBER");
    await ext(url(C), "POST", `/calls/${guestCall.body.call_id}/decline`, op.access_token, {
      reason: "Closed today",
    });
    const declined = await until("the decline at the guest's provider", async () => {
      const v = await ext<CallView>(url(A), "GET", `/calls/${guestCall.body.call_id}`, visitor.access_token);
      return v.body.state === "declined" ? v.body : undefined;
    });
    expect(declined.reason).to.equal("Closed today");
  });

  it("carries SMS both ways and delivers one sent while B is stopped exactly once after B restarts", async () => {
    const bella = await subscriber(url(B), { username: "bellasms" });
    const alice = await subscriber(url(A));
    // B's user is offline: A's caller leaves an SMS on the call B hosts, asking for a call back.
    const call = await placeCall(url(A), alice.access_token, { handle: `bellasms@${B}`, topic: "Keys" });
    expect(call.body.state).to.equal("offline");
    const left = await ext<CallView>(url(A), "POST", `/calls/${call.body.call_id}/sms`, alice.access_token, {
      text: "I have your keys",
      call_back: true,
    });
    expect(left.body.state, JSON.stringify(left.body)).to.equal("left_sms");
    const received = (await inboxOf(url(B), bella.access_token)).sms[0]!;
    expect(received).to.deep.include({ text: "I have your keys", call_back: true });
    expect(received.from).to.include({ user_id: alice.user_id, provider: A });

    // B's user replies: the reply travels to A's inbox, from B's user.
    await ext(url(B), "POST", `/sms/${received.sms_id}/reply`, bella.access_token, {
      text: "Thanks! Tonight?",
    });
    const atA = await until("the reply in A's inbox", async () =>
      (await inboxOf(url(A), alice.access_token)).sms.find((s) => s.text === "Thanks! Tonight?"),
    );
    expect(atA.from).to.include({ user_id: bella.user_id, provider: B });

    // A's user answers while B is down: A keeps it queued and delivers it once B is back.
    await fed.stop(B);
    const answer = await ext<SmsView>(url(A), "POST", `/sms/${atA.sms_id}/reply`, alice.access_token, {
      text: "Yes, at nine",
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    // A tried and failed, and keeps the SMS queued for B.
    await until("failed attempts while B is down", async () => {
      const [dest] = await fed
        .get(A)
        .net.query("SELECT failures FROM federation_destinations WHERE destination = $1", [B]);
      return dest && dest.failures >= 2 ? dest : undefined;
    });
    expect(
      await fed.get(A).net.query("SELECT kind FROM federation_outbox WHERE destination = $1", [B]),
    ).to.deep.equal([{ kind: "io.callsign.sms" }]);
    await fed.restart(B);
    const arrived = await until("the reply sent while B was down", async () => {
      const inbox: InboxView = await inboxOf(url(B), bella.access_token);
      return inbox.sms.some((s) => s.text === "Yes, at nine") ? inbox : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000)); // any duplicate would land by now
    const after = await inboxOf(url(B), bella.access_token);
    expect(after.sms.filter((s) => s.text === "Yes, at nine")).to.have.length(1);
    expect(arrived.sms.find((s) => s.text === "Yes, at nine")!.reply_to).to.equal(atA.sms_id);

    // B's user calls back from the first SMS: the call to A's user is hosted by A.
    const back = await ext<CallView>(
      url(B),
      "POST",
      `/sms/${received.sms_id}/call-back`,
      bella.access_token,
      {},
    );
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body.room_id.endsWith(`:${A}`)).to.equal(true);
    expect(back.body.callback_of).to.deep.equal({ kind: "sms", id: received.sms_id });
    const atAlice = await ext<CallView>(url(A), "GET", `/calls/${back.body.call_id}`, alice.access_token);
    expect(atAlice.body.caller).to.include({ user_id: bella.user_id, provider: B });
  });
});
