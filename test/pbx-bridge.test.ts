/**
 * The bridge to a company's PBX end to end (issue 7 item 7): a service with a SIP trunk rings
 * baresip (the PBX extension, answering with a tone) through kamailio, via the homeserver's
 * Janus SIP side; the caller is a werift peer using only the client API. Audio is counted both
 * ways, and a hang-up on either side ends both.
 */
import { expect } from "chai";
import { MediaStreamTrack } from "werift";
import type { CallView } from "../protocol/callsign/calls.js";
import type { PublishView, SubscriptionView } from "../protocol/callsign/media.js";
import { ext, inboxOf, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { janusEnv, startJanus, type JanusFixture } from "./helpers/janus.js";
import { connected, ENOUGH, MediaPeers, sendSyntheticRtp, WITHIN_MS } from "./helpers/media-peer.js";
import { ServiceKit } from "./helpers/services.js";
import { acceptCallsFrom } from "./helpers/pbx-lines.js";
import { startSipLab, type SipLab } from "./helpers/sip-lab.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("calls to a service ring its PBX over the SIP trunk", function () {
  this.timeout(90_000);
  let janus: JanusFixture;
  let lab: SipLab;
  let net: TestNetwork;
  let peers: MediaPeers;
  let url: string;

  before(async () => {
    janus = await startJanus("janus-pbx");
    lab = await startSipLab(janus);
    net = await TestNetwork.start({
      env: janusEnv(janus),
    });
    url = net.baseUrl;
    peers = new MediaPeers(janus.hostAddress);
    const janusCtx = () => net.servers[0]!.homeserver!.ctx.janus!;
    await until("the homeserver's link to Janus", async () =>
      janusCtx().status()[0]!.up ? true : undefined,
    );
  });
  afterEach(() => peers.closeAll());
  after(async () => {
    await net?.close();
    await lab?.close();
    await janus?.close();
  });

  /** A service whose trunk rings baresip's extension instead of web operators. */
  async function desk(
    mode: Record<string, unknown> = { mode: "instead" },
    operators: Subscriber[] = [],
    uri = lab.extension,
  ) {
    const kit = await ServiceKit.start(url, "PBX Co");
    const service = await kit.service(operators);
    const trunk = await ext(url, "PUT", `/services/${service.service_id}/sip-trunk`, kit.owner.access_token, {
      uri,
      proxy: lab.proxy,
      ...mode,
    });
    expect(trunk.status, JSON.stringify(trunk.body)).to.equal(200);
    return service;
  }

  /** The caller's client: an audio offer published on the waiting call rings the PBX; counts what comes back. */
  async function callPbx(handle: string) {
    const caller = await subscriber(url);
    const placed = await placeCall(url, caller.access_token, { handle, topic: "Order 42" });
    expect([placed.body.state, placed.body.pbx], JSON.stringify(placed.body)).to.deep.equal([
      "queued",
      "waiting",
    ]);
    const pc = peers.peer();
    const track = new MediaStreamTrack({ kind: "audio" });
    pc.addTransceiver(track, { direction: "sendrecv" });
    const received = { packets: 0 };
    pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => received.packets++));
    await pc.setLocalDescription(await pc.createOffer());
    const before = lab.baresip.events.length;
    const published = await ext<PublishView>(
      url,
      "POST",
      `/calls/${placed.body.call_id}/media/publish`,
      caller.access_token,
      {
        sdp: pc.localDescription!.sdp,
      },
    );
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    await pc.setRemoteDescription({ type: "answer", sdp: published.body.sdp });
    await connected(pc);
    const stop = sendSyntheticRtp({ audio: track, video: new MediaStreamTrack({ kind: "video" }) }, 1);
    const established = await lab.baresip.event(
      (e) => e.type === "CALL_ESTABLISHED" && lab.baresip.events.indexOf(e) >= before,
      "CALL_ESTABLISHED",
    );
    return { caller, call: placed.body, received, stop, sipCallId: established.id! };
  }

  const view = async (token: string, callId: string) =>
    (await ext<CallView>(url, "GET", `/calls/${callId}`, token)).body;

  it("rings the PBX, carries audio both ways, and ends both sides when the PBX hangs up", async () => {
    const service = await desk();
    const { caller, call, received, stop, sipCallId } = await callPbx(service.handle!);
    const answered = await view(caller.access_token, call.call_id);
    expect([answered.state, answered.pbx]).to.deep.equal(["answered", "answered"]);

    await until(
      "baresip's tone at the caller",
      async () => (received.packets >= ENOUGH.audio ? true : undefined),
      WITHIN_MS,
    );
    await until("the caller's audio at baresip", async () =>
      lab.baresip.received(sipCallId) >= ENOUGH.audio ? true : undefined,
    );

    await lab.baresip.command("hangup");
    const ended = await until("the call ended by the PBX", async () => {
      const v = await view(caller.access_token, call.call_id);
      return v.state === "ended" ? v : undefined;
    });
    expect(ended.reason).to.equal("The company's phone system hung up");
    stop();
    await nothingLeftInJanus();
  });

  it("hangs the PBX up when the caller hangs up, and when the plan's longest call is reached", async () => {
    const service = await desk();
    const { caller, call, sipCallId } = await callPbx(service.handle!);
    const before = lab.baresip.events.length;
    await ext(url, "POST", `/calls/${call.call_id}/end`, caller.access_token);
    await lab.baresip.event(
      (e) => e.type === "CALL_CLOSED" && e.id === sipCallId && lab.baresip.events.indexOf(e) >= before,
      "CALL_CLOSED",
    );
    expect(await lab.baresip.calls()).to.equal(0);

    // The plan's longest call (its job's handler, run now) ends a call the PBX answered too.
    const second = await callPbx(service.handle!);
    const closedAt = lab.baresip.events.length;
    await net.servers[0]!.homeserver!.ctx.callTimers.maxDuration(second.call.call_id, 0);
    const ended = await view(second.caller.access_token, second.call.call_id);
    expect([ended.state, ended.reason]).to.deep.equal([
      "ended",
      "The call reached the longest duration of the service's plan",
    ]);
    await lab.baresip.event(
      (e) =>
        e.type === "CALL_CLOSED" && e.id === second.sipCallId && lab.baresip.events.indexOf(e) >= closedAt,
      "CALL_CLOSED",
    );
    await nothingLeftInJanus();
  });

  it("rings the PBX after the web operators when none of them took the call in time", async () => {
    const operator = await subscriber(url, { online: true });
    const service = await desk({ mode: "after", after_s: 5 }, [operator]);
    const caller = await subscriber(url);
    const placed = (await placeCall(url, caller.access_token, { handle: service.handle!, topic: "Later" }))
      .body;
    expect([placed.state, placed.pbx]).to.deep.equal(["queued", null]);
    const queue = await ext<{ calls: CallView[] }>(url, "GET", "/queue", operator.access_token);
    expect(queue.body.calls.map((c) => c.call_id)).to.include(placed.call_id);
    const waiting = await until(
      "the call sent on to the PBX",
      async () => ((await view(caller.access_token, placed.call_id)).pbx === "waiting" ? true : undefined),
      15_000,
    );
    expect(waiting).to.equal(true);
    await ext(url, "POST", `/calls/${placed.call_id}/cancel`, caller.access_token);
  });

  it("hangs up a PBX still ringing when a web operator takes the call", async () => {
    const operator = await subscriber(url, { online: true });
    const service = await desk({ mode: "instead" }, [operator], lab.reception);
    const caller = await subscriber(url);
    const placed = (await placeCall(url, caller.access_token, { handle: service.handle!, topic: "Quick" }))
      .body;
    const pc = peers.peer();
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    await pc.setLocalDescription(await pc.createOffer());
    const before = lab.baresip.events.length;
    const publishing = ext(url, "POST", `/calls/${placed.call_id}/media/publish`, caller.access_token, {
      sdp: pc.localDescription!.sdp,
    });
    const rung = await lab.baresip.event(
      (e) => e.type === "CALL_INCOMING" && lab.baresip.events.indexOf(e) >= before,
      "CALL_INCOMING",
    );
    expect((await view(caller.access_token, placed.call_id)).pbx).to.equal("ringing");

    const taken = await ext<CallView>(url, "POST", `/calls/${placed.call_id}/take`, operator.access_token);
    expect([taken.body.state, taken.body.pbx], JSON.stringify(taken.body)).to.deep.equal(["answered", null]);
    const refused = await publishing;
    expect([refused.status, refused.body.errcode, refused.body.state]).to.deep.equal([
      409,
      "IO_CALLSIGN_BAD_TRANSITION",
      "answered",
    ]);
    await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === rung.id, "CALL_CLOSED");
    expect(await lab.baresip.calls()).to.equal(0);
    await ext(url, "POST", `/calls/${placed.call_id}/end`, caller.access_token);
    await nothingLeftInJanus();
  });

  describe("calls from the PBX to Callsign handles", () => {
    /** A service whose trunk registers its line at kamailio, so the PBX's calls come in. */
    async function acceptingDesk() {
      const kit = await ServiceKit.start(url, "Inbound Co");
      const service = await kit.service();
      const { trunk, remove } = await acceptCallsFrom(lab, url, kit.owner.access_token, service.service_id);
      expect(trunk).to.include({ accept_calls: true, line: `sip:${lab.trunk.username}@${lab.address}` });
      return { service, remove };
    }

    /** The PBX's extension dials `handle`; resolves with the call as the callee's queue shows it. */
    async function dialFromPbx(handle: string, callee: Subscriber) {
      const before = lab.baresip.events.length;
      await lab.baresip.dial(lab.extension, `sip:${encodeURIComponent(handle)}@${lab.address}`);
      const call = await until("the PBX's call in the callee's queue", async () => {
        const queue = await ext<{ calls: CallView[] }>(url, "GET", "/queue", callee.access_token);
        return queue.body.calls.find((c) => c.from_pbx === lab.extension);
      });
      const sip = await lab.baresip.event(
        (e) => e.type === "CALL_RINGING" && lab.baresip.events.indexOf(e) >= before,
        "CALL_RINGING",
      );
      return { call, sipCallId: sip.id! };
    }

    /** The taker answers the PBX's offer with its own audio: one connection, both ways. */
    async function answerPbx(taker: Subscriber, callId: string) {
      const offered = await ext<SubscriptionView>(
        url,
        "POST",
        `/calls/${callId}/media/subscribe`,
        taker.access_token,
      );
      expect(offered.status, JSON.stringify(offered.body)).to.equal(200);
      expect(offered.body.subscription_id).to.equal("pbx");
      const pc = peers.peer();
      const received = { packets: 0 };
      pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => received.packets++));
      await pc.setRemoteDescription({ type: "offer", sdp: offered.body.sdp });
      const track = new MediaStreamTrack({ kind: "audio" });
      pc.getTransceivers()[0]!.sender.replaceTrack(track);
      pc.getTransceivers()[0]!.setDirection("sendrecv");
      await pc.setLocalDescription(await pc.createAnswer());
      const answered = await ext(
        url,
        "POST",
        `/calls/${callId}/media/subscriptions/pbx/answer`,
        taker.access_token,
        {
          sdp: pc.localDescription!.sdp,
        },
      );
      expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
      await connected(pc);
      const stop = sendSyntheticRtp({ audio: track, video: new MediaStreamTrack({ kind: "video" }) }, 7);
      return { received, stop };
    }

    it("an extension calls a handle: it waits in the queue, the taker and the PBX hear each other, hang-ups end both", async () => {
      const { service, remove } = await acceptingDesk();
      const bella = await subscriber(url, { online: true });
      const { call, sipCallId } = await dialFromPbx(bella.number, bella);
      expect(call).to.include({ state: "queued", target: bella.number, topic: `Call from ${lab.extension}` });
      expect(call.caller).to.include({ user_id: service.user_id, is_service: true });

      const taken = await ext<CallView>(url, "POST", `/calls/${call.call_id}/take`, bella.access_token);
      expect(taken.body.state).to.equal("answered");
      const { received, stop } = await answerPbx(bella, call.call_id);
      await lab.baresip.event((e) => e.type === "CALL_ESTABLISHED" && e.id === sipCallId, "CALL_ESTABLISHED");
      await until(
        "the PBX's tone at the taker",
        async () => (received.packets >= ENOUGH.audio ? true : undefined),
        WITHIN_MS,
      );
      await until("the taker's audio at the PBX", async () =>
        lab.baresip.received(sipCallId) >= ENOUGH.audio ? true : undefined,
      );

      // Meanwhile a second extension's call comes in on the same line (one of its helpers).
      const carol = await subscriber(url, { online: true });
      const meanwhile = await dialFromPbx(carol.number, carol);
      const declined = await ext(url, "POST", `/calls/${meanwhile.call.call_id}/decline`, carol.access_token);
      expect(declined.status, JSON.stringify(declined.body)).to.equal(200);
      const refused = await lab.baresip.event(
        (e) => e.type === "CALL_CLOSED" && e.id === meanwhile.sipCallId,
        "CALL_CLOSED of the declined call",
      );
      expect(refused.param).to.match(/480/);
      const before = lab.baresip.received(sipCallId);
      await until("the first call's audio still flowing", async () =>
        lab.baresip.received(sipCallId) > before + 20 ? true : undefined,
      );

      // The callee hangs up: the PBX's call closes.
      await ext(url, "POST", `/calls/${call.call_id}/end`, bella.access_token);
      await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === sipCallId, "CALL_CLOSED");
      stop();

      // The next call is hung up by the PBX: it ends for the callee with the reason.
      const second = await dialFromPbx(bella.number, bella);
      await ext(url, "POST", `/calls/${second.call.call_id}/take`, bella.access_token);
      const media = await answerPbx(bella, second.call.call_id);
      await lab.baresip.event(
        (e) => e.type === "CALL_ESTABLISHED" && e.id === second.sipCallId,
        "CALL_ESTABLISHED",
      );
      await lab.baresip.command("hangup");
      const ended = await until("the call ended by the PBX", async () => {
        const v = await view(bella.access_token, second.call.call_id);
        return v.state === "ended" ? v : undefined;
      });
      expect(ended.reason).to.equal("The caller's phone system hung up");
      media.stop();
      expect(await lab.baresip.calls()).to.equal(0);
      await remove();
      await nothingLeftInJanus();
    });

    it("refuses what it cannot place, cancels a waiting call the PBX gives up, and keeps PBX calls with their taker", async () => {
      const { remove } = await acceptingDesk();
      const closedWith = async (to: string) => {
        const before = lab.baresip.events.length;
        await lab.baresip.dial(lab.extension, to);
        const closed = await lab.baresip.event(
          (e) => e.type === "CALL_CLOSED" && lab.baresip.events.indexOf(e) >= before,
          `CALL_CLOSED for ${to}`,
        );
        return closed.param;
      };
      // Nobody answers to the handle; the line itself names nobody.
      expect(await closedWith(`sip:nobody-${Date.now()}@${lab.address}`)).to.match(/404/);
      expect(await closedWith(`sip:${lab.trunk.username}@${lab.address}`)).to.match(/404/);

      // An offline subscriber: the PBX hears 480, the subscriber finds a missed call.
      const away = await subscriber(url);
      expect(await closedWith(`sip:${away.number}@${lab.address}`)).to.match(/480/);
      const inbox = await inboxOf(url, away.access_token);
      const missed = inbox.missed.find((c) => c.from_pbx === lab.extension);
      expect(missed?.state).to.equal("missed");

      // The PBX gives up while the call waits: cancelled.
      const bella = await subscriber(url, { online: true });
      const waiting = await dialFromPbx(bella.number, bella);
      await lab.baresip.command("hangup");
      await until("the waiting call cancelled", async () =>
        (await view(bella.access_token, waiting.call.call_id)).state === "cancelled" ? true : undefined,
      );

      // Answered on the taker's own connection, a PBX call is not transferred.
      const kept = await dialFromPbx(bella.number, bella);
      await ext(url, "POST", `/calls/${kept.call.call_id}/take`, bella.access_token);
      const media = await answerPbx(bella, kept.call.call_id);
      const moved = await ext(url, "POST", `/calls/${kept.call.call_id}/transfer`, bella.access_token, {
        service_id: "anywhere",
      });
      expect([moved.status, moved.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_BAD_TRANSITION"]);
      expect(moved.body.error).to.contain("transfer it on the PBX");
      await ext(url, "POST", `/calls/${kept.call.call_id}/end`, bella.access_token);
      await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === kept.sipCallId, "CALL_CLOSED");
      media.stop();
      await remove();
      await nothingLeftInJanus();
    });
  });

  async function nothingLeftInJanus() {
    const pool = net.servers[0]!.homeserver!.ctx.janus!;
    await until("nothing of the call left in Janus", async () => {
      const inventory = await pool.inventory("janus-1");
      const own = inventory.sessions.find((s) => s.id === inventory.own.session);
      return inventory.sessions.length === 1 && own?.handles.length === 1 ? true : undefined;
    });
  }
});
