/**
 * `sms`: text messages between pairs of subscribers, each pair in a direct chat room, measured
 * from the sender's request to the message's arrival in the receiver's `/sync` long-poll; every
 * message is persisted (counted in the database afterwards). Cases: one and ten messages in
 * flight per pair (closed loop), and a fixed total rate (open loop). Prosody runs the same pairs,
 * counts and shapes in the same run through an XMPP client (bench/reference/prosody.ts).
 */
import { JsonClient } from "../lib/http.js";
import { closedLoop, loadSummary, openLoop, type LoadResult } from "../lib/load.js";
import { CS, inBatches, register, SyncLoop, type Account, type SyncBody } from "../lib/matrix.js";
import { watchProcess, type ProcessUse } from "../lib/proc.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import type { LatencySummary } from "../lib/stats.js";
import { startHomeserver, type BenchServer } from "../lib/homeserver.js";
import { startProsody, xmppMessages } from "../reference/prosody.js";

const PAIRS = 10;
const FIXED_RATE = 2000;

interface Pair {
  sender: Account;
  receiver: Account;
  roomId: string;
  /** Messages sent and not yet arrived, by body. */
  waiting: Map<string, () => void>;
  sync: SyncLoop;
}

export async function sms(full: boolean): Promise<Report> {
  const perPair = full ? 5000 : 600;
  const fixedSeconds = full ? 10 : 3;
  const maxMs = full ? 120_000 : 30_000;
  const rows: Row[] = [];
  const details: Record<string, unknown> = { pairs: PAIRS, messages_per_pair: perPair };

  const server = await startHomeserver();
  const client = new JsonClient(server.baseUrl, 256);
  let pairs: Pair[] = [];
  try {
    pairs = await makePairs(client);
    const own: Record<string, { load: LoadResult; use: ProcessUse }> = {};
    for (const inFlight of [1, 10]) {
      own[`${inFlight} in flight`] = await measure(server, () =>
        closedLoopPerPair(client, pairs, inFlight, perPair, maxMs),
      );
    }
    own[`fixed ${FIXED_RATE}/s`] = await measure(server, () =>
      openLoop(FIXED_RATE, { count: FIXED_RATE * fixedSeconds, maxMs: fixedSeconds * 1000 }, (i) =>
        send(client, pairs[i % PAIRS]!, `f${i}`),
      ),
    );
    const sent = Object.values(own).reduce((n, o) => n + o.load.done, 0);
    const [{ stored }] = await server.net.query<{ stored: string }>(
      `SELECT count(*) AS stored FROM events WHERE type = 'm.room.message' AND room_id = ANY($1)`,
      [pairs.map((p) => p.roomId)],
    );
    details.callsign = Object.fromEntries(
      Object.entries(own).map(([k, o]) => [k, { ...loadSummary(k, o.load), homeserver: o.use }]),
    );
    details.persisted = { delivered: sent, stored: Number(stored) };

    const prosody = await startProsody({ users: PAIRS * 2 });
    const ref: Record<string, { per_s: number; latency: LatencySummary }> = {};
    try {
      for (const inFlight of [1, 10]) {
        ref[`${inFlight} in flight`] = await xmppMessages(prosody, {
          pairs: PAIRS,
          messages: perPair,
          inFlight,
          maxMs,
        });
      }
      ref[`fixed ${FIXED_RATE}/s`] = await xmppMessages(prosody, {
        pairs: PAIRS,
        messages: Math.ceil((FIXED_RATE * fixedSeconds) / PAIRS),
        inFlight: 1,
        ratePerS: FIXED_RATE,
        maxMs: fixedSeconds * 1000 + 30_000,
      });
    } finally {
      await prosody.close();
    }
    details.prosody = ref;

    for (const [name, o] of Object.entries(own)) {
      const r = ref[name]!;
      const s = o.load.latency.summary();
      const fixed = name.startsWith("fixed");
      rows.push({
        case: name,
        metric: "messages/s",
        value: o.load.per_s,
        reference: r.per_s,
        referenceName: "Prosody",
        ...(!fixed && { target: "≥ Prosody", met: o.load.per_s >= r.per_s }),
      });
      rows.push(...latencyRows(name, s, r.latency, "Prosody"));
      if (fixed) {
        const p99 = rows.at(-2)!;
        Object.assign(p99, { target: "≤ Prosody", met: s.p99_ms <= r.latency.p99_ms });
      }
      rows.push({ case: name, metric: "homeserver cores", value: o.use.cores });
    }
    rows.push({
      case: "all",
      metric: "messages stored",
      value: Number(stored),
      reference: sent,
      referenceName: "delivered",
      target: "= delivered",
      met: Number(stored) === sent,
    });
  } finally {
    for (const p of pairs) p.sync.stop();
    client.close();
    await server.close();
  }
  return { scenario: "sms", mode: full ? "full" : "short", rows, details };
}

async function measure(server: BenchServer, run: () => Promise<LoadResult>) {
  const watch = watchProcess(server.pid);
  const load = await run();
  const use = watch.stop();
  return { load, use };
}

/** Each pair keeps `inFlight` messages un-arrived at a time; all pairs at once. */
async function closedLoopPerPair(
  client: JsonClient,
  pairs: Pair[],
  inFlight: number,
  perPair: number,
  maxMs: number,
): Promise<LoadResult> {
  const tag = `c${inFlight}-`;
  const results = await Promise.all(
    pairs.map((pair, p) =>
      closedLoop(inFlight, { count: perPair, maxMs }, (i) => send(client, pair, `${tag}${p}-${i}`)),
    ),
  );
  // Combined: all pairs ran over the same wall time.
  const seconds = Math.max(...results.map((r) => r.seconds));
  const done = results.reduce((n, r) => n + r.done, 0);
  const latency = results[0]!.latency;
  for (const r of results.slice(1)) for (const v of r.latency.values()) latency.add(v);
  return {
    done,
    failed: results.reduce((n, r) => n + r.failed, 0),
    seconds,
    per_s: Math.round(done / seconds),
    latency,
    ...(results.find((r) => r.firstError) && { firstError: results.find((r) => r.firstError)!.firstError }),
  };
}

/** Sends one message; resolves when the receiver's sync shows it (latency from the send). */
async function send(client: JsonClient, pair: Pair, body: string): Promise<number> {
  const start = performance.now();
  const arrived = new Promise<void>((resolve, reject) => {
    pair.waiting.set(body, resolve);
    setTimeout(() => reject(new Error(`message ${body} did not arrive within 10 s`)), 10_000).unref();
  });
  // Counted as a failure below even when the send itself outlasts the 10 s (an overloaded server).
  arrived.catch(() => {});
  await client.ok(
    "PUT",
    `${CS}/rooms/${encodeURIComponent(pair.roomId)}/send/m.room.message/${body}`,
    { msgtype: "m.text", body },
    pair.sender.token,
  );
  await arrived;
  return performance.now() - start;
}

async function makePairs(client: JsonClient): Promise<Pair[]> {
  const run = Date.now().toString(36);
  return inBatches(PAIRS, 5, async (i) => {
    const sender = await register(client, `s${i}-${run}@bench.test`);
    const receiver = await register(client, `r${i}-${run}@bench.test`);
    const { room_id: roomId } = await client.ok<{ room_id: string }>(
      "POST",
      `${CS}/createRoom`,
      { preset: "private_chat", is_direct: true, invite: [receiver.userId] },
      sender.token,
    );
    await client.ok("POST", `${CS}/join/${encodeURIComponent(roomId)}`, {}, receiver.token);
    const waiting = new Map<string, () => void>();
    const sync = new SyncLoop(
      client,
      receiver.token,
      (answer: SyncBody) => {
        for (const event of answer.rooms?.join?.[roomId]?.timeline?.events ?? []) {
          if (event.type !== "m.room.message") continue;
          const done = waiting.get(event.content?.body);
          waiting.delete(event.content?.body);
          done?.();
        }
      },
      30_000,
      // A burst between two syncs must not be cut to the default timeline's last few events.
      { room: { timeline: { limit: 1000 } } },
    );
    await sync.ready;
    return { sender, receiver, roomId, waiting, sync };
  });
}
