/**
 * Media through Janus (issue 7 groundwork, F21): the homeserver's JanusPool drives a real Janus
 * in its own network namespace (test/helpers/janus.ts); two werift peers in this process play a
 * caller publishing synthetic Opus and VP8 RTP and a callee subscribing to that feed. Packets
 * are counted per kind on the receiving side, so the test fails when media stops flowing.
 */
import { expect } from "chai";
import { JanusError } from "../server/src/media/janus/errors.js";
import { JanusPool } from "../server/src/media/janus/pool.js";
import type { JanusPoolEvents, JanusRoomRef } from "../server/src/media/janus/types.js";
import { startJanus, type JanusFixture } from "./helpers/janus.js";
import { enoughPackets, MediaPeers, sleep, WITHIN_MS } from "./helpers/media-peer.js";

describe("Janus media (JanusPool over a real Janus)", function () {
  this.timeout(60_000);
  let janus: JanusFixture;
  let pool: JanusPool;
  let peers: MediaPeers;

  before(async () => {
    janus = await startJanus("janus-1");
    pool = await JanusPool.open({ instances: [janus.instance], reconnectBaseMs: 200 });
    peers = new MediaPeers(janus.hostAddress);
  });

  afterEach(() => peers.closeAll());

  after(async () => {
    await pool?.close();
    await janus?.close();
  });

  /** Publishes audio and video into `room`, then sends synthetic RTP whose payloads carry `tag`. */
  async function publish(room: JanusRoomRef, tag: number) {
    let published!: Awaited<ReturnType<JanusPool["publish"]>>;
    const peer = await peers.publisher(tag, async (offerSdp) => {
      published = await pool.publish(room, { display: `caller ${tag}`, offerSdp });
      return published.answerSdp;
    });
    // Janus takes subscribers to a feed once its own side of the connection is up.
    await pool.mediaUp(published.handleId);
    return { ...published, stop: peer.stop };
  }

  /** Subscribes to `feedId` in `room` and counts the RTP packets that arrive, per kind and tag. */
  async function subscribe(room: JanusRoomRef, feedId: number) {
    const subscribed = await pool.subscribe(room, feedId);
    const peer = await peers.subscriber(subscribed.offerSdp, (answerSdp) =>
      pool.startSubscription(subscribed.handleId, answerSdp),
    );
    await pool.mediaUp(subscribed.handleId);
    return { handleId: subscribed.handleId, counts: peer.counts, tags: peer.tags };
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

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    return error;
  }
  throw new Error(`expected a rejection matching ${message}`);
}
