/**
 * The bridge to a company's PBX end to end (issue 7 item 7): a service with a SIP trunk rings
 * baresip (the PBX extension, answering with a tone) through kamailio, via the homeserver's
 * Janus SIP side; the caller is a werift peer using only the client API. Audio is counted both
 * ways, and a hang-up on either side ends both.
 */
import { expect } from "chai";
import { MediaStreamTrack } from "werift";
import type { CallView } from "../protocol/callsign/calls.js";
import type { PublishView } from "../protocol/callsign/media.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { janusEnv, startJanus, type JanusFixture } from "./helpers/janus.js";
import { connected, ENOUGH, MediaPeers, sendSyntheticRtp, WITHIN_MS } from "./helpers/media-peer.js";
import { ServiceKit } from "./helpers/services.js";
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

  async function nothingLeftInJanus() {
    const pool = net.servers[0]!.homeserver!.ctx.janus!;
    await until("nothing of the call left in Janus", async () => {
      const inventory = await pool.inventory("janus-1");
      const own = inventory.sessions.find((s) => s.id === inventory.own.session);
      return inventory.sessions.length === 1 && own?.handles.length === 1 ? true : undefined;
    });
  }
});
