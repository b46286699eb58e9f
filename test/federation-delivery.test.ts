/**
 * Delivery between providers (issue 6, "delivery that loses nothing"): provider A queues items
 * for provider B inside its own write transactions; they reach B's handler exactly once and in
 * order — in batches, through retries with back-off while B is down, after B comes back on the
 * same database, and at once when B is heard from (catch-up); the embedded mode (one database
 * connection, jobs in process) sends and receives the same way.
 */
import { expect } from "chai";
import { ProtocolError } from "../protocol/errors.js";
import type { SendTransactionResponse } from "../protocol/federation/delivery.js";
import type { AppContext } from "../server/src/context.js";
import {
  DELIVERY_LOG_DDL,
  publishProvider,
  range,
  recordItems,
  RECORD_KIND as KIND,
} from "./helpers/delivery.js";
import { startDnsServer, type DnsFixture } from "./helpers/dns-server.js";
import { TEST_TLDS, TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

const A = "a.example.test";
const B = "b.example.test";
/** A provider on the embedded database. */
const E = "e.example.test";

describe("federation: delivery that loses nothing", function () {
  this.timeout(60_000);
  let dns: DnsFixture;
  let a: TestNetwork;
  let b: TestNetwork;
  /** Plain HTTP on loopback, and a short back-off so that retries are seen within a test. */
  const env = {
    CALLSIGN_FEDERATION_PLAIN_HTTP: "true",
    CALLSIGN_FEDERATION_RETRY_BASE_MS: "100",
    CALLSIGN_FEDERATION_RETRY_MAX_MS: "800",
  };

  const publish = (net: TestNetwork, name: string) => publishProvider(dns, net, name);

  /** Starts a server of B again on its database, with the handler, and points DNS at it. */
  async function restartB(): Promise<void> {
    const server = await b.addServer();
    recordItems(server);
    await publish(b, B);
  }

  before(async () => {
    dns = await startDnsServer(Object.fromEntries([...TEST_TLDS, "example.test"].map((z) => [`${z}.`, {}])));
    a = await TestNetwork.start({ serverName: A, dns, env });
    b = await TestNetwork.start({ serverName: B, dns, env });
    await b.query(DELIVERY_LOG_DDL);
    recordItems(b.servers[0]!);
    await publish(a, A);
    await publish(b, B);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dns?.close();
  });

  const aCtx = (i = 0): AppContext => a.servers[i]!.homeserver!.ctx;

  /** Queues the items for B in one write transaction of A's server `i`. */
  const enqueue = (items: Record<string, unknown>[], i = 0, kind = KIND) =>
    aCtx(i).writer.write(async (tx) => {
      for (const item of items) await aCtx(i).delivery.enqueue(tx, B, kind, item);
    });

  /** What B applied of a series, in the order it applied it, once `count` items are there. */
  const arrived = async (series: string, count: number, timeoutMs?: number) =>
    until(
      `${count} items of ${series} at B`,
      async () => {
        const rows = await b.query<{ n: number; origin: string }>(
          `SELECT n, origin FROM delivery_log WHERE series = $1 ORDER BY id`,
          [series],
        );
        if (rows.length < count) return undefined;
        expect(new Set(rows.map((r) => r.origin))).to.deep.equal(new Set([A]));
        return rows.map((r) => r.n);
      },
      timeoutMs,
    );

  /** Waits until nothing waits for B at A. */
  const drained = () =>
    until("A's outbox for B to be empty", async () => {
      const [r] = await a.query(`SELECT count(*)::int AS n FROM federation_outbox WHERE destination = $1`, [
        B,
      ]);
      return r.n === 0 || undefined;
    });

  const receivedFromA = async () =>
    (await b.query(`SELECT count(*)::int AS n FROM federation_received_txns WHERE origin = $1`, [A]))[0].n;

  it("sends queued items once, in the order they were committed", async () => {
    await enqueue([1, 2, 3].map((n) => ({ series: "order", n })));
    await enqueue([{ series: "order", n: 4 }]);
    await enqueue([5, 6].map((n) => ({ series: "order", n })));
    expect(await arrived("order", 6)).to.deep.equal(range(1, 6));
    await drained();
    await a.idle();
    expect(await arrived("order", 6)).to.deep.equal(range(1, 6));
  });

  it("queues nothing when the caller's transaction rolls back", async () => {
    const failing = aCtx().writer.write(async (tx) => {
      await aCtx().delivery.enqueue(tx, B, KIND, { series: "rollback", n: 1 });
      throw new Error("the caller's write fails");
    });
    let failed = false;
    await failing.catch(() => (failed = true));
    expect(failed).to.equal(true);
    await enqueue([{ series: "rollback", n: 2 }]);
    expect(await arrived("rollback", 1)).to.deep.equal([2]);
  });

  it("sends 120 items in transactions of at most 50", async () => {
    const before = await receivedFromA();
    await enqueue(range(1, 120).map((n) => ({ series: "batch", n })));
    expect(await arrived("batch", 120)).to.deep.equal(range(1, 120));
    await drained();
    expect((await receivedFromA()) - before).to.equal(3);
  });

  it("applies a transaction sent again under the same ID only once", async () => {
    const [{ txn_id: last }] = await b.query(
      `SELECT txn_id FROM federation_received_txns WHERE origin = $1 ORDER BY received_at DESC LIMIT 1`,
      [A],
    );
    const put = async (txnId: string, n: number) => {
      const body = { items: [{ kind: KIND, payload: { series: "replay", n } }] };
      const res = await aCtx().federation.send(B, "PUT", `/send/${txnId}`, body);
      expect(res.status).to.equal(200);
      return (await res.json()) as SendTransactionResponse;
    };
    // A transaction B has applied, sent again (freshly signed) with other content: nothing applied.
    expect(await put(last, 1)).to.deep.equal({ results: [], duplicate: true });
    expect(await put("replay-txn-1", 2)).to.deep.equal({ results: [{ outcome: "applied" }] });
    expect(await put("replay-txn-1", 3)).to.deep.equal({ results: [], duplicate: true });
    const rows = await b.query(`SELECT n FROM delivery_log WHERE series = 'replay'`);
    expect(rows.map((r) => r.n)).to.deep.equal([2]);
  });

  it("refuses a transaction whose body or ID breaks the schema, applying nothing", async () => {
    const item = { kind: KIND, payload: { series: "bad-body", n: 1 } };
    const bad: [path: string, body: unknown][] = [
      ["/send/bad-1", { items: [] }],
      ["/send/bad-2", { items: Array.from({ length: 51 }, () => item) }],
      ["/send/bad-3", { items: [{ kind: "Not A Kind", payload: {} }] }],
      ["/send/bad-4", { items: [{ kind: KIND, payload: [1, 2] }] }],
      ["/send/bad-5", [item]],
      [`/send/${encodeURIComponent("not an id!")}`, { items: [item] }],
    ];
    for (const [path, body] of bad) {
      const res = await aCtx().federation.send(B, "PUT", path, body);
      const answer = (await res.json()) as { errcode: string };
      expect([res.status, answer.errcode], path).to.satisfy(
        ([status, errcode]: [number, string]) => status === 400 && /^M_(BAD|NOT)_JSON$/.test(errcode),
      );
    }
    expect(await b.query(`SELECT 1 FROM delivery_log WHERE series = 'bad-body'`)).to.have.length(0);
  });

  it("drops only the item a handler refuses, and skips an unknown kind", async () => {
    const res = await aCtx().federation.send(B, "PUT", `/send/refusal-txn-1`, {
      items: [
        { kind: "test.nobody-handles-this", payload: {} },
        { kind: KIND, payload: { series: "refuse-direct", n: 1, refuse: true } },
        { kind: KIND, payload: { series: "refuse-direct", n: 2 } },
      ],
    });
    const answer = (await res.json()) as SendTransactionResponse;
    expect(answer.results).to.deep.equal([
      { outcome: "skipped", errcode: "M_UNRECOGNIZED", error: "Unknown item kind test.nobody-handles-this" },
      { outcome: "refused", errcode: "M_FORBIDDEN", error: "refused by the test" },
      { outcome: "applied" },
    ]);

    await enqueue([{ series: "refuse", n: 1 }]);
    await enqueue([{ series: "refuse", n: 2, refuse: true }], 0);
    await enqueue([{ unknown: true }], 0, "test.nobody-handles-this");
    await enqueue([{ series: "refuse", n: 3 }]);
    await drained();
    // The refused item's own write was undone with it; its neighbours were applied.
    expect(await arrived("refuse", 2)).to.deep.equal([1, 3]);
    expect(await arrived("refuse-direct", 1)).to.deep.equal([2]);
  });

  it("retries with back-off while the peer is down, then delivers once, in order", async () => {
    await b.servers.at(-1)!.stop();
    for (const n of range(1, 5)) await enqueue([{ series: "down", n }]);
    const failing = await until("three failed attempts", async () => {
      const [d] = await a.query(`SELECT * FROM federation_destinations WHERE destination = $1`, [B]);
      return d.failures >= 3 ? d : undefined;
    });
    expect(failing.last_error).to.match(/did not answer|cannot be found/);
    expect(failing.retry_at).to.be.instanceOf(Date);
    // One transaction is composed and kept while it fails: the same items under the same ID.
    const pending = await a.query(
      `SELECT DISTINCT txn_id FROM federation_outbox WHERE destination = $1 AND txn_id IS NOT NULL`,
      [B],
    );
    expect(pending).to.have.length(1);
    const txnId = pending[0].txn_id as string;

    await restartB();
    expect(await arrived("down", 5)).to.deep.equal(range(1, 5));
    await drained();
    const resent = await b.query(`SELECT 1 FROM federation_received_txns WHERE origin = $1 AND txn_id = $2`, [
      A,
      txnId,
    ]);
    expect(resent).to.have.length(1);
    const [d] = await a.query(
      `SELECT failures, retry_at FROM federation_destinations WHERE destination = $1`,
      [B],
    );
    expect(d).to.deep.equal({ failures: 0, retry_at: null });
  });

  it("sends what waits for a peer at once when that peer is heard from (catch-up)", async () => {
    await b.servers.at(-1)!.stop();
    await enqueue([{ series: "catch-up", n: 1 }]);
    await until("a failed attempt", async () => {
      const [d] = await a.query(`SELECT failures FROM federation_destinations WHERE destination = $1`, [B]);
      return d.failures >= 1 || undefined;
    });
    // A long back-off: without catch-up nothing would go for an hour. (Set while no attempt
    // runs: a running one would set its own back-off when it fails.)
    await until("the back-off set", async () => {
      const set = await a.query(
        `UPDATE federation_destinations SET retry_at = now() + interval '1 hour'
         WHERE destination = $1 AND (lease_until IS NULL OR lease_until < now()) RETURNING 1`,
        [B],
      );
      return set.length ? true : undefined;
    });
    await restartB();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await b.query(`SELECT 1 FROM delivery_log WHERE series = 'catch-up'`)).to.have.length(0);

    // Any signed request of B's will do: here a transaction of an item A does not know.
    const ping = { items: [{ kind: "test.ping", payload: {} }] };
    const res = await b.servers
      .at(-1)!
      .homeserver!.ctx.federation.send(A, "PUT", "/send/catch-up-ping", ping);
    expect(res.status).to.equal(200);
    expect(await arrived("catch-up", 1, 5000)).to.deep.equal([1]);
  });

  it("keeps one transaction in flight and the order of each process when two processes queue", async () => {
    await a.addServer();
    await Promise.all(
      [0, 1].map(async (i) => {
        for (const n of range(1, 15)) await enqueue([{ series: `process-${i}`, n }], i);
      }),
    );
    expect(await arrived("process-0", 15)).to.deep.equal(range(1, 15));
    expect(await arrived("process-1", 15)).to.deep.equal(range(1, 15));
    await drained();
    await a.servers[1]!.stop();
  });

  it("works on the embedded database (one connection) and in-process jobs, both ways", async () => {
    const e = await TestNetwork.start({ serverName: E, dns, mode: "embedded", env });
    try {
      const eCtx = e.servers[0]!.homeserver!.ctx;
      const seen: unknown[] = [];
      eCtx.inboundItems.register(KIND, async (tx, origin, payload) => {
        // A write inside the receiving transaction, as real handlers do.
        await tx.query(`SELECT 1`);
        seen.push({ origin, n: payload.n });
      });
      await publish(e, E);
      await eCtx.writer.write(async (tx) => {
        for (const n of range(1, 60)) await eCtx.delivery.enqueue(tx, B, KIND, { series: "embedded", n });
      });
      const bCtx = b.servers.at(-1)!.homeserver!.ctx;
      for (const n of range(1, 3)) {
        await bCtx.writer.write((tx) => bCtx.delivery.enqueue(tx, E, KIND, { n }));
      }
      const rows = await until("60 items of E at B", async () => {
        const r = await b.query(`SELECT n, origin FROM delivery_log WHERE series = 'embedded' ORDER BY id`);
        return r.length >= 60 ? r : undefined;
      });
      expect(rows.map((r) => r.n)).to.deep.equal(range(1, 60));
      expect(new Set(rows.map((r) => r.origin))).to.deep.equal(new Set([E]));
      await until("3 items of B at E", async () => (seen.length >= 3 ? true : undefined));
      expect(seen).to.deep.equal(range(1, 3).map((n) => ({ origin: B, n })));
    } finally {
      await e.close();
    }
  });

  it("refuses an item for a provider the operator blocked", async () => {
    const blocking = await a.addServer({ CALLSIGN_FEDERATION_BLOCK: "c.example.test" });
    const ctx = blocking.homeserver!.ctx;
    let caught: unknown;
    await ctx.writer
      .write((tx) => ctx.delivery.enqueue(tx, "c.example.test", KIND, { series: "blocked", n: 1 }))
      .catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(ProtocolError);
    expect((caught as ProtocolError).errcode).to.equal("IO_CALLSIGN_PEER_BLOCKED");
    expect(
      await a.query(`SELECT 1 FROM federation_outbox WHERE destination = 'c.example.test'`),
    ).to.have.length(0);
    await blocking.stop();
  });
});
