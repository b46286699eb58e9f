/**
 * Stream positions taken without a lock held to the commit (server/src/storage/stream-positions.ts)
 * on a real PostgreSQL: readers never step past an item that commits later, rollbacks and dead
 * writers leave nothing that holds readers back, and the narrower locks that replaced the global
 * one keep what it kept — one active call between a caller and a callee, a room's state changes
 * in the order of their positions.
 */
import { expect } from "chai";
import pino from "pino";
import { openDatabase, type Database } from "../server/src/storage/database.js";
import { currentPosition, RegisteredPositions } from "../server/src/storage/stream-positions.js";
import { Notifier } from "../server/src/services/notifier.js";
import { StreamWriter } from "../server/src/services/stream-writer.js";
import { api, CS, register } from "./helpers/api.js";
import { placeCall, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("stream positions", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let db: Database;
  let writer: StreamWriter;
  const logger = pino({ level: "silent" });

  before(async () => {
    net = await TestNetwork.start();
    db = await openDatabase({ url: net.env.DATABASE_URL, poolSize: 12, dataDir: "", logger });
    writer = new StreamWriter(db, new Notifier(undefined, "probe", logger));
    await db.query(`CREATE TABLE probe (pos bigint PRIMARY KEY)`);
  });
  after(async () => {
    await db?.close();
    await net?.close();
  });

  /** A write that takes one position, stores it in `probe` and waits for `hold` before committing. */
  const probe = (hold: Promise<unknown> = Promise.resolve()) => {
    let taken!: (pos: number) => void;
    const pos = new Promise<number>((r) => (taken = r));
    const done = writer.write(async (tx) => {
      const p = await tx.nextPosition();
      await tx.query(`INSERT INTO probe (pos) VALUES ($1)`, [p]);
      taken(p);
      await hold;
      return p;
    });
    return { pos, done };
  };

  it("keeps readers below a position still in flight, and lets them on once it commits", async () => {
    let release!: () => void;
    const early = probe(new Promise<void>((r) => (release = r)));
    const earlyPos = await early.pos;
    const late = probe();
    const latePos = await late.done;
    expect(latePos).to.be.greaterThan(earlyPos);

    const [row] = await db.query(
      `SELECT COALESCE((SELECT min(first) - 1 FROM stream_inflight), 0) AS settled`,
    );
    expect(Number(row.settled), "the later commit is not readable yet").to.be.below(earlyPos);
    const reading = currentPosition(db);
    await sleep(100);
    release();
    await early.done;
    expect(await reading, "a reader waits for what was allocated when it looked").to.be.at.least(latePos);
  });

  it("gives up waiting after two seconds with the position every item below has committed at", async () => {
    let release!: () => void;
    const stuck = probe(new Promise<void>((r) => (release = r)));
    const stuckPos = await stuck.pos;
    await probe().done;
    const t0 = Date.now();
    const head = await currentPosition(db);
    expect(Date.now() - t0).to.be.within(1900, 3000);
    expect(head).to.equal(stuckPos - 1);
    release();
    await stuck.done;
  });

  it("removes a rolled-back transaction's registration so readers are not held back", async () => {
    const failed = writer.write(async (tx) => {
      await tx.nextPosition();
      throw new Error("changed my mind");
    });
    const err = await failed.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.equal("changed my mind");
    expect(await db.query(`SELECT * FROM stream_inflight`)).to.deep.equal([]);
    const latest = await probe().done;
    expect(await currentPosition(db)).to.be.at.least(latest);
  });

  it("sweeps the registration of a writer whose connection is gone", async () => {
    const [{ pos }] = await db.query(`SELECT pos FROM stream_counter`);
    await db.query(
      `INSERT INTO stream_inflight (first, last, pid, at) VALUES ($1, $1, 0, now() - interval '1 minute')`,
      [Number(pos) - 3],
    );
    const positions = db.positions as RegisteredPositions;
    expect(positions).to.be.instanceOf(RegisteredPositions);
    await positions.sweep();
    expect(await db.query(`SELECT * FROM stream_inflight`)).to.deep.equal([]);
  });

  it("seeds the counter again above every stored position when it was lost", async () => {
    const latest = await probe().done;
    await db.query(`INSERT INTO rooms (room_id, creator, room_version) VALUES ('!r', '@a:x', '10')`);
    await db.query(
      `INSERT INTO events (stream_pos, event_id, room_id, type, sender, content, origin_server_ts)
      VALUES ($1, '$seed', '!r', 'm.room.message', '@a:x', '{}', 0)`,
      [latest + 1000],
    );
    await db.query(`DELETE FROM stream_counter`);
    const next = await probe().done;
    expect(next).to.be.greaterThan(latest + 1000);
  });

  it("lets no reader miss an item while eight writers commit in parallel", async () => {
    const before = await currentPosition(db);
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let prev = before;
      while (writing) {
        const head = await currentPosition(db);
        const rows = await db.query(`SELECT pos FROM probe WHERE pos > $1 AND pos <= $2`, [prev, head]);
        seen.push(...rows.map((r) => Number(r.pos)));
        prev = Math.max(prev, head);
      }
      const head = await currentPosition(db);
      const rows = await db.query(`SELECT pos FROM probe WHERE pos > $1 AND pos <= $2`, [prev, head]);
      seen.push(...rows.map((r) => Number(r.pos)));
    })();
    const written: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 40; i++) written.push(await probe(sleep(Math.random() * 3)).done);
      }),
    );
    writing = false;
    await reader;
    expect(seen.sort((a, b) => a - b)).to.deep.equal(written.sort((a, b) => a - b));
  });

  it("judges placements by one caller to one callee in turn: one call between them", async () => {
    const url = net.baseUrl;
    const callee = await subscriber(url, { online: true });
    const caller = await subscriber(url);
    const tries = await Promise.all(
      Array.from({ length: 6 }, () =>
        placeCall(url, caller.access_token, { handle: callee.number, topic: "once" }),
      ),
    );
    expect(tries.map((t) => t.status).sort()).to.deep.equal([200, 409, 409, 409, 409, 409]);
    const refused = tries.filter((t) => t.status === 409).map((t) => t.body.errcode);
    expect(new Set(refused)).to.deep.equal(new Set(["IO_CALLSIGN_ALREADY_CALLING"]));
  });

  it("orders a room's state changes made at once as their positions say", async () => {
    const url = net.baseUrl;
    const a = (await register(url, { email: `topics${Date.now()}@example.test` })).body;
    const roomId = (await api(url, "POST", `${CS}/createRoom`, { token: a.access_token, body: {} })).body
      .room_id as string;
    const room = encodeURIComponent(roomId);
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(url, "PUT", `${CS}/rooms/${room}/state/m.room.topic/`, {
          token: a.access_token,
          body: { topic: `topic ${i}` },
        }),
      ),
    );
    expect(sent.map((s) => s.status)).to.deep.equal(Array(12).fill(200));
    const current = await api(url, "GET", `${CS}/rooms/${room}/state/m.room.topic/`, {
      token: a.access_token,
    });
    const timeline = await api<{ chunk: { type: string; content: { topic: string }; unsigned?: object }[] }>(
      url,
      "GET",
      `${CS}/rooms/${room}/messages?dir=b&limit=50`,
      { token: a.access_token },
    );
    const topics = timeline.body.chunk.filter((e) => e.type === "m.room.topic");
    expect(topics).to.have.length(12);
    expect(current.body.topic, "the current state is the newest by position").to.equal(
      topics[0]!.content.topic,
    );
    const rows = await net.query(
      `SELECT content->>'topic' AS topic, prev_content->>'topic' AS prev FROM events
       WHERE room_id = $1 AND type = 'm.room.topic' ORDER BY stream_pos`,
      [roomId],
    );
    for (const [i, r] of rows.entries()) {
      expect(r.prev, "each change follows the one before it").to.equal(i === 0 ? null : rows[i - 1].topic);
    }
  });
});
