/**
 * The SIP groundwork for the PBX bridge (issue 7 item 7, F22): JanusPool's SIP calls through a
 * real Janus (its SIP plugin) to a company's SIP side made of Debian's kamailio (registrar and
 * proxy) and baresip (the PBX extension, answering by itself with a 440 Hz tone), all in the
 * Janus namespace (test/helpers/sip-lab.ts). A werift peer in this process is the WebRTC side.
 * Audio is counted on both receiving ends — the tone's packets at werift, werift's packets at
 * baresip (its RTCP statistics, from its control port) — so a test fails when either way stops.
 */
import { expect } from "chai";
import { MediaStreamTrack, RtpHeader, RtpPacket, type RTCPeerConnection } from "werift";
import { JanusPool } from "../server/src/media/janus/pool.js";
import type { JanusPoolEvents, SipAccount, SipEvent } from "../server/src/media/janus/types.js";
import { startJanus, type JanusFixture } from "./helpers/janus.js";
import { connected, ENOUGH, MediaPeers, sleep, WITHIN_MS } from "./helpers/media-peer.js";
import { startSipLab, type SipLab } from "./helpers/sip-lab.js";

/** baresip learns what it received from the RTCP reports relayed by Janus, every second or so. */
const BARESIP_WITHIN_MS = 10_000;

describe("SIP bridge groundwork (Janus SIP plugin → kamailio → baresip)", function () {
  this.timeout(60_000);
  let janus: JanusFixture;
  let lab: SipLab;
  let pool: JanusPool;
  let peers: MediaPeers;
  let account: SipAccount;
  const sipEvents: SipEvent[] = [];
  /** Handles a test made: ended (and unregistered) after it, even when it failed. */
  const handles: string[] = [];

  before(async () => {
    janus = await startJanus("janus-sip");
    lab = await startSipLab(janus);
    pool = await JanusPool.open({ instances: [janus.instance] });
    pool.on("sip", (e) => sipEvents.push(e));
    peers = new MediaPeers(janus.hostAddress);
    account = { uri: `sip:callsign@${lab.address}`, proxy: lab.proxy, displayName: "Callsign" };
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((id) => pool.sipUnregister(id)));
    await peers.closeAll();
  });

  after(async () => {
    await pool?.close();
    await lab?.close();
    await janus?.close();
  });

  const eventsOf = (handleId: string) => sipEvents.filter((e) => e.handleId === handleId);

  async function nextEvent<K extends SipEvent["event"]>(handleId: string, kind: K) {
    await until(
      () => eventsOf(handleId).some((e) => e.event === kind),
      10_000,
      () => `no ${kind} event (got ${eventsOf(handleId).map((e) => e.event)})`,
    );
    return eventsOf(handleId).find((e) => e.event === kind) as Extract<SipEvent, { event: K }>;
  }

  /**
   * The handle's events are `kinds`, after one `ringing` at most: an extension answering at
   * once may send its 180 and 200 so close together that Janus reports no ringing.
   */
  function expectEvents(handleId: string, kinds: SipEvent["event"][]) {
    const events = eventsOf(handleId).map((e) => e.event);
    expect(events[0] === "ringing" ? events.slice(1) : events).to.deep.equal(kinds);
  }

  /** A werift peer for audio that counts the RTP packets it receives (and the largest payload). */
  function audioPeer() {
    const pc = peers.peer();
    const received = { packets: 0, largest: 0 };
    pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((rtp) => {
        received.packets++;
        received.largest = Math.max(received.largest, rtp.payload.length);
      }),
    );
    return { pc, received };
  }

  /** Calls the extension with werift's audio offer; once accepted, connects and sends RTP. */
  async function callExtension(from = account) {
    const { pc, received } = audioPeer();
    const track = new MediaStreamTrack({ kind: "audio" });
    pc.addTransceiver(track, { direction: "sendrecv" });
    await pc.setLocalDescription(await pc.createOffer());
    const eventsBefore = lab.baresip.events.length;
    const { handleId } = await pool.sipCall({
      account: from,
      to: lab.extension,
      offerSdp: pc.localDescription!.sdp,
    });
    handles.push(handleId);
    const accepted = await nextEvent(handleId, "accepted");
    expect(accepted.answerSdp, "Janus's answer for the WebRTC side").to.match(/^v=0/);
    await pc.setRemoteDescription({ type: "answer", sdp: accepted.answerSdp! });
    await connected(pc);
    const sender = sendAudio(track);
    return { handleId, received, sender, callId: await baresipCall(eventsBefore) };
  }

  /** The SIP Call-ID of the call baresip established after its `after`-th event. */
  async function baresipCall(after: number): Promise<string> {
    const established = await lab.baresip.event(
      (e) => e.type === "CALL_ESTABLISHED" && lab.baresip.events.indexOf(e) >= after,
      "CALL_ESTABLISHED",
    );
    return established.id!;
  }

  /** Both ways carry audio: `ENOUGH.audio` packets more than `from` at werift and at baresip. */
  async function audioFlows(received: { packets: number }, callId: string, from = { werift: 0, baresip: 0 }) {
    await until(
      () => received.packets - from.werift >= ENOUGH.audio,
      WITHIN_MS,
      () => `werift got ${received.packets - from.werift} packets of baresip's tone, want ${ENOUGH.audio}`,
    );
    await until(
      () => lab.baresip.received(callId) - from.baresip >= ENOUGH.audio,
      BARESIP_WITHIN_MS,
      () =>
        `baresip got ${lab.baresip.received(callId) - from.baresip} of werift's packets, want ${ENOUGH.audio}`,
    );
  }

  /** Nothing of ours left in Janus but the pool's control session and its room manager. */
  async function expectNothingLeftInJanus() {
    const inventory = await pool.inventory(janus.instance.id);
    expect(inventory.sessions).to.deep.equal([
      { id: inventory.own.session, handles: [inventory.own.handle] },
    ]);
    expect(pool.status()).to.deep.equal([{ id: "janus-sip", up: true, rooms: 0, handles: 0 }]);
  }

  it("rings the extension through kamailio, carries audio both ways, and reports the extension hanging up", async () => {
    const call = await callExtension();

    await audioFlows(call.received, call.callId);
    // baresip's tone is real Opus (hundreds of bytes a packet); werift's packets are 4 bytes.
    expect(call.received.largest).to.be.above(20);
    // Still flowing a moment later, both ways.
    await audioFlows(call.received, call.callId, {
      werift: call.received.packets,
      baresip: lab.baresip.received(call.callId),
    });
    expect(lab.baresip.received(call.callId)).to.be.at.most(call.sender.sent());

    await lab.baresip.command("hangup");
    const hangup = await nextEvent(call.handleId, "hangup");
    expect(hangup).to.include({ code: 200 });
    expectEvents(call.handleId, ["accepted", "hangup"]);
    expect(await lab.baresip.calls()).to.equal(0);
    await expectNothingLeftInJanus();
    // The handle is gone: hanging up again is a no-op.
    await pool.sipHangup(call.handleId);
  });

  it("hangs up from our side: the extension has no call left and nothing is left in Janus", async () => {
    const call = await callExtension();
    await audioFlows(call.received, call.callId);

    await pool.sipHangup(call.handleId);
    // Resolved once the hang-up is reported and the handle detached.
    expectEvents(call.handleId, ["accepted", "hangup"]);
    await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === call.callId, "CALL_CLOSED");
    expect(await lab.baresip.calls()).to.equal(0);
    await expectNothingLeftInJanus();

    // Nothing arrives any more.
    call.sender.stop();
    const settled = call.received.packets;
    await sleep(500);
    expect(call.received.packets).to.equal(settled);
  });

  it("reports the extension ringing, and cancels the call when we hang up before it answers", async () => {
    const { pc } = audioPeer();
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    await pc.setLocalDescription(await pc.createOffer());
    const eventsBefore = lab.baresip.events.length;
    const offerSdp = pc.localDescription!.sdp;
    const { handleId } = await pool.sipCall({ account, to: lab.reception, offerSdp });
    handles.push(handleId);
    const ringing = await nextEvent(handleId, "ringing");
    expect(ringing.answerSdp, "no early media").to.equal(undefined);
    const rung = await lab.baresip.event(
      (e) => e.type === "CALL_INCOMING" && lab.baresip.events.indexOf(e) >= eventsBefore,
      "CALL_INCOMING",
    );

    await pool.sipHangup(handleId);
    expect(eventsOf(handleId)).to.deep.equal([
      { handleId, event: "ringing" },
      { handleId, event: "hangup", code: 487, reason: "Request Terminated" },
    ]);
    await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === rung.id, "CALL_CLOSED");
    expect(await lab.baresip.calls()).to.equal(0);
    await expectNothingLeftInJanus();
  });

  it("takes a call to a registered account, carries audio both ways, and stays registered after it", async () => {
    const desk = { uri: `sip:desk@${lab.address}`, proxy: lab.proxy, password: "unchecked" };
    const { handleId } = await pool.sipRegister(desk);
    handles.push(handleId);
    expect(await lab.options(desk.uri), "kamailio routes the desk to Janus").to.equal(200);

    const eventsBefore = lab.baresip.events.length;
    await lab.baresip.dial(lab.extension, desk.uri);
    const incoming = await nextEvent(handleId, "incoming");
    expect(incoming.from).to.equal(lab.extension);
    expect(incoming.to, "the address dialled").to.equal(desk.uri);
    const { pc, received } = audioPeer();
    await pc.setRemoteDescription({ type: "offer", sdp: incoming.offerSdp });
    const track = await sendOn(pc);
    await pc.setLocalDescription(await pc.createAnswer());
    await pool.sipAccept(handleId, pc.localDescription!.sdp);
    await nextEvent(handleId, "accepted");
    await connected(pc);
    const sender = sendAudio(track);
    const callId = await baresipCall(eventsBefore);
    await audioFlows(received, callId);
    expect(lab.baresip.received(callId)).to.be.at.most(sender.sent());

    await pool.sipHangup(handleId);
    expect(eventsOf(handleId).map((e) => e.event)).to.deep.equal(["incoming", "accepted", "hangup"]);
    await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === callId, "CALL_CLOSED");
    expect(await lab.baresip.calls()).to.equal(0);
    expect(pool.status()[0]).to.include({ handles: 1 });
    expect(await lab.options(desk.uri), "still registered").to.equal(200);

    // The next call is declined before it is answered.
    const before = eventsOf(handleId).length;
    await lab.baresip.dial(lab.extension, desk.uri);
    await until(
      () => eventsOf(handleId).length > before,
      10_000,
      () => "no second incoming call",
    );
    await pool.sipHangup(handleId);
    expect(eventsOf(handleId).slice(before).slice(1)).to.deep.equal([
      { handleId, event: "hangup", code: 486, reason: "Busy Here" },
    ]);
    const closed = await lab.baresip.event(
      (e) => e.type === "CALL_CLOSED" && lab.baresip.events.indexOf(e) > eventsBefore && e.id !== callId,
      "CALL_CLOSED of the declined call",
    );
    expect(closed.param).to.match(/486/);
    expect(await lab.baresip.calls()).to.equal(0);

    await pool.sipUnregister(handleId);
    await expectNothingLeftInJanus();
    // Janus unregistered the desk as the handle went.
    await until(
      async () => (await lab.options(desk.uri)) === 404,
      5000,
      () => "kamailio still routes the desk",
    );
  });

  it("answers the proxy's challenge to its INVITE as the account's user, with its password", async () => {
    const trunk = { uri: lab.trunk.uri, proxy: lab.proxy, password: lab.trunk.password };
    const call = await callExtension({ ...trunk, username: lab.trunk.username });
    await audioFlows(call.received, call.callId);
    await pool.sipHangup(call.handleId);

    // The same password as the user of the URI (the default) is refused: the user was sent.
    const { pc } = audioPeer();
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    await pc.setLocalDescription(await pc.createOffer());
    const offerSdp = pc.localDescription!.sdp;
    const { handleId } = await pool.sipCall({ account: trunk, to: lab.extension, offerSdp });
    handles.push(handleId);
    // kamailio challenges again; Janus's SIP stack (sofia-sip) gives up with its own 904.
    expect(await nextEvent(handleId, "hangup")).to.include({ code: 904 });
    await expectNothingLeftInJanus();
  });

  it("reports a call the proxy refuses as a hangup with its SIP status", async () => {
    const { pc } = audioPeer();
    pc.addTransceiver(new MediaStreamTrack({ kind: "audio" }), { direction: "sendrecv" });
    await pc.setLocalDescription(await pc.createOffer());
    const to = `sip:nobody@${lab.address}`;
    const { handleId } = await pool.sipCall({ account, to, offerSdp: pc.localDescription!.sdp });
    handles.push(handleId);
    expect(await nextEvent(handleId, "hangup")).to.include({ code: 404 });
    expect(eventsOf(handleId).map((e) => e.event)).to.deep.equal(["hangup"]);
    await expectNothingLeftInJanus();
  });

  it("ends a call lost with its Janus with a reason, and names its handle in instanceDown", async () => {
    const call = await callExtension();
    await audioFlows(call.received, call.callId);
    const down = new Promise<JanusPoolEvents["instanceDown"][0]>((resolve) =>
      pool.once("instanceDown", resolve),
    );
    const up = new Promise<void>((resolve) => pool.once("instanceUp", () => resolve()));

    await janus.restart();
    expect((await down).handles).to.deep.equal([call.handleId]);
    const hangup = await nextEvent(call.handleId, "hangup");
    expect(hangup.reason).to.match(/Janus|connection/);
    expectEvents(call.handleId, ["accepted", "hangup"]);
    await up;
    // The PBX's side of the call went with no BYE: it hangs up itself.
    await lab.baresip.command("hangup");
    expect(await lab.baresip.calls()).to.equal(0);
    await expectNothingLeftInJanus();
  });
});

/** Makes the offered audio section send a track of ours, and returns it. */
async function sendOn(pc: RTCPeerConnection): Promise<MediaStreamTrack> {
  const track = new MediaStreamTrack({ kind: "audio" });
  const [transceiver] = pc.getTransceivers();
  await transceiver!.sender.replaceTrack(track);
  transceiver!.setDirection("sendrecv");
  return track;
}

/**
 * Sends an Opus-like packet every 20 ms (a TOC byte and a little data, which baresip's decoder
 * may reject: its RTP statistics count it anyway), and counts them.
 */
function sendAudio(track: MediaStreamTrack) {
  let seq = 0;
  let timestamp = 0;
  let sent = 0;
  const timer = setInterval(() => {
    seq = (seq + 1) & 0xffff;
    timestamp = (timestamp + 960) >>> 0;
    const header = new RtpHeader({ sequenceNumber: seq, timestamp });
    track.writeRtp(new RtpPacket(header, Buffer.from([0xf8, 0xff, 0xfe, 9])));
    sent++;
  }, 20);
  return { sent: () => sent, stop: () => clearInterval(timer) };
}

/** Polls `done` every 20 ms until it holds, or fails with `say()`. */
async function until(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  say: () => string,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await done()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`within ${timeoutMs} ms: ${say()}`);
    await sleep(20);
  }
}
