/**
 * Media through Janus (issue 7 groundwork, F21): the homeserver's JanusPool drives a real Janus
 * in its own network namespace (test/helpers/janus.ts); two werift peers in this process play a
 * caller publishing synthetic Opus and VP8 RTP and a callee subscribing to that feed. Packets
 * are counted per kind on the receiving side, so the test fails when media stops flowing.
 */
import { expect } from "chai";
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from "werift";
import { JanusError } from "../server/src/media/janus/errors.js";
import { JanusPool } from "../server/src/media/janus/pool.js";
import type { JanusPoolEvents, JanusRoomRef } from "../server/src/media/janus/types.js";
import { startJanus, type JanusFixture } from "./helpers/janus.js";

type Kind = "audio" | "video";
/** Packets per kind a subscriber must receive: 1 s of audio (50 pps) and of video (30 fps) at least. */
const ENOUGH = { audio: 50, video: 30 };
const WITHIN_MS = 5_000;

describe("Janus media (JanusPool over a real Janus)", function () {
  this.timeout(60_000);
  let janus: JanusFixture;
  let pool: JanusPool;
  const peers: RTCPeerConnection[] = [];
  const stops: (() => void)[] = [];

  before(async () => {
    janus = await startJanus("janus-1");
    pool = await JanusPool.open({ instances: [janus.instance], reconnectBaseMs: 200 });
  });

  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await Promise.all(peers.splice(0).map((pc) => pc.close()));
  });

  after(async () => {
    await pool?.close();
    await janus?.close();
  });

  /** A peer bound to our side of the veth pair (Janus offers media only on its namespace address). */
  function peer(): RTCPeerConnection {
    const pc = new RTCPeerConnection({
      bundlePolicy: "max-bundle",
      iceInterfaceAddresses: { udp4: janus.hostAddress },
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48_000, channels: 2 })],
        video: [
          new RTCRtpCodecParameters({
            mimeType: "video/VP8",
            clockRate: 90_000,
            rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }],
          }),
        ],
      },
    });
    peers.push(pc);
    return pc;
  }

  /** Publishes audio and video into `room`, then sends synthetic RTP whose payloads carry `tag`. */
  async function publish(room: JanusRoomRef, tag: number) {
    const pc = peer();
    const tracks = {
      audio: new MediaStreamTrack({ kind: "audio" }),
      video: new MediaStreamTrack({ kind: "video" }),
    };
    pc.addTransceiver(tracks.audio, { direction: "sendonly" });
    pc.addTransceiver(tracks.video, { direction: "sendonly" });
    await pc.setLocalDescription(await pc.createOffer());
    const published = await pool.publish(room, {
      display: `caller ${tag}`,
      offerSdp: pc.localDescription!.sdp,
    });
    await pc.setRemoteDescription({ type: "answer", sdp: published.answerSdp });
    await connected(pc);
    // Janus takes subscribers to a feed once its own side of the connection is up.
    await pool.mediaUp(published.handleId);
    const stop = sendSyntheticRtp(tracks, tag);
    stops.push(stop);
    return { ...published, stop };
  }

  /** Subscribes to `feedId` in `room` and counts the RTP packets that arrive, per kind and tag. */
  async function subscribe(room: JanusRoomRef, feedId: number) {
    const pc = peer();
    const counts = { audio: 0, video: 0 };
    const tags = new Set<number>();
    pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        counts[track.kind as Kind]++;
        tags.add(rtp.payload[rtp.payload.length - 1]);
      });
    });
    const subscribed = await pool.subscribe(room, feedId);
    await pc.setRemoteDescription({ type: "offer", sdp: subscribed.offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await pool.startSubscription(subscribed.handleId, pc.localDescription!.sdp);
    await connected(pc);
    await pool.mediaUp(subscribed.handleId);
    return { handleId: subscribed.handleId, counts, tags };
  }

  /** Nothing of ours left on the instance but the pool's control session and its room manager. */
  async function expectOnlyOwnSessionLeft() {
    const inventory = await pool.inventory(janus.instance.id);
    expect(inventory.sessions).to.deep.equal([
      { id: inventory.own.session, handles: [inventory.own.handle] },
    ]);
  }

  it("relays a caller's audio and video to a subscriber, and leaves nothing behind when the room is destroyed", async () => {
    const room = await pool.createRoom({ secret: "room-secret-1" });
    const listed = (await pool.listRooms(room.instance)).find((r) => r.room === room.room);
    expect(listed, "a private room is listed with the admin key").to.include({
      maxPublishers: 2,
      audioCodec: "opus",
      videoCodec: "vp8",
    });

    const caller = await publish(room, 1);
    const callee = await subscribe(room, caller.feedId);
    const took = await enoughPackets(callee.counts);
    expect([...callee.tags]).to.deep.equal([1]);
    expect(took).to.be.below(WITHIN_MS);

    // The counted packets are the caller's: when it stops sending, nothing more arrives.
    caller.stop();
    await sleep(300);
    const settled = { ...callee.counts };
    await sleep(500);
    expect(callee.counts).to.deep.equal(settled);

    expect((await pool.inventory(room.instance)).sessions[0].handles).to.have.length(3);
    await pool.destroyRoom(room);
    expect((await pool.listRooms(room.instance)).map((r) => r.room)).to.not.include(room.room);
    await expectOnlyOwnSessionLeft();
    expect(pool.status()).to.deep.equal([{ id: "janus-1", up: true, rooms: 0, handles: 0 }]);
    // Destroying twice is a no-op; a destroyed room takes no one.
    await pool.destroyRoom(room);
    await expectRejection(pool.publish(room, { display: "late", offerSdp: "v=0" }), /not held/);
  });

  it("keeps two rooms on one instance independent", async () => {
    const rooms = [await pool.createRoom({ secret: "s-a" }), await pool.createRoom({ secret: "s-b" })];
    expect(rooms.map((r) => r.instance)).to.deep.equal(["janus-1", "janus-1"]);
    expect(rooms[0].room).to.not.equal(rooms[1].room);

    const callers = [await publish(rooms[0], 10), await publish(rooms[1], 20)];
    const callees = [
      await subscribe(rooms[0], callers[0].feedId),
      await subscribe(rooms[1], callers[1].feedId),
    ];
    await Promise.all(callees.map((c) => enoughPackets(c.counts)));
    expect([...callees[0].tags]).to.deep.equal([10]);
    expect([...callees[1].tags]).to.deep.equal([20]);

    // A feed of one room cannot be reached through the other.
    const error = await expectRejection(pool.subscribe(rooms[0], callers[1].feedId), /subscribe/);
    expect((error as JanusError).code).to.equal(428); // JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED

    // Destroying one room leaves the other flowing.
    await pool.destroyRoom(rooms[0]);
    const before = { ...callees[1].counts };
    await enoughPackets(callees[1].counts, before);
    expect((await pool.listRooms("janus-1")).map((r) => r.room)).to.deep.equal([rooms[1].room]);
    expect(pool.status()[0]).to.include({ rooms: 1, handles: 2 });

    await pool.destroyRoom(rooms[1]);
    await expectOnlyOwnSessionLeft();
  });

  it("says which rooms and handles an instance took down with it, and reconnects", async () => {
    const room = await pool.createRoom({ secret: "s-crash" });
    const caller = await publish(room, 30);
    const down = new Promise<JanusPoolEvents["instanceDown"][0]>((resolve) =>
      pool.once("instanceDown", resolve),
    );
    const up = new Promise<void>((resolve) => pool.once("instanceUp", () => resolve()));

    await janus.restart();
    expect(await down).to.deep.include({ instance: "janus-1", rooms: [room], handles: [caller.handleId] });
    await up;
    expect(pool.status()).to.deep.equal([{ id: "janus-1", up: true, rooms: 0, handles: 0 }]);

    // The new link carries media again.
    const next = await pool.createRoom({ secret: "s-after" });
    const callee = await subscribe(next, (await publish(next, 40)).feedId);
    await enoughPackets(callee.counts);
    await pool.destroyRoom(next);
    await expectOnlyOwnSessionLeft();
  });
});

/** Resolves once both kinds reached ENOUGH packets more than `from`, with the time it took. */
async function enoughPackets(counts: Record<Kind, number>, from = { audio: 0, video: 0 }): Promise<number> {
  const start = Date.now();
  while (counts.audio - from.audio < ENOUGH.audio || counts.video - from.video < ENOUGH.video) {
    if (Date.now() - start > WITHIN_MS)
      throw new Error(
        `within ${WITHIN_MS} ms the subscriber got ${counts.audio - from.audio} audio and ` +
          `${counts.video - from.video} video packets (want ${ENOUGH.audio} and ${ENOUGH.video})`,
      );
    await sleep(20);
  }
  return Date.now() - start;
}

/**
 * Sends RTP as a real caller would: an Opus packet every 20 ms and a VP8 frame every 33 ms. The
 * payloads only look like their codecs (Janus relays them without decoding): a VP8 key frame
 * header so Janus sees key frames, and `tag` as the last byte to tell callers apart.
 */
function sendSyntheticRtp(tracks: Record<Kind, MediaStreamTrack>, tag: number): () => void {
  const seq = { audio: 0, video: 0 };
  const send = (kind: Kind, timestamp: number, payload: number[]) => {
    seq[kind] = (seq[kind] + 1) & 0xffff;
    const header = new RtpHeader({ sequenceNumber: seq[kind], timestamp, marker: kind === "video" });
    tracks[kind].writeRtp(new RtpPacket(header, Buffer.from([...payload, tag])));
  };
  let audioTs = 0;
  let videoTs = 0;
  const audio = setInterval(() => {
    audioTs = (audioTs + 960) >>> 0; // 20 ms at 48 kHz
    send("audio", audioTs, [0xf8, 0xff, 0xfe]); // Opus TOC (CELT FB 20 ms) and a little data
  }, 20);
  const video = setInterval(() => {
    videoTs = (videoTs + 3000) >>> 0; // 33 ms at 90 kHz
    // Descriptor (start of partition), key frame header, start code, 320×240.
    send("video", videoTs, [0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0x00]);
  }, 33);
  return () => {
    clearInterval(audio);
    clearInterval(video);
  };
}

async function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === "connected") return;
  try {
    await pc.connectionStateChange.watch((state) => state === "connected", WITHIN_MS);
  } catch {
    throw new Error(`no WebRTC connection to Janus within ${WITHIN_MS} ms (state ${pc.connectionState})`);
  }
}

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    return error;
  }
  throw new Error(`expected a rejection matching ${message}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
