/**
 * Delivery that loses nothing (spec/federation-delivery.md): items for a peer provider are
 * queued in the database inside the caller's own write transaction — so an item exists exactly
 * when what it reports was committed — and sent after the commit by the destination's job
 * (`DestinationSender`), once and in order, however long the peer is away.
 *
 * Every destination has one pending job at a time: its ID is the destination and its current
 * generation (see job-names.ts). The job is woken after each commit that queued something,
 * scheduled again after a failure with capped, jittered back-off, kicked at once when the peer
 * is heard from (catch-up), and re-scheduled from the database at start and by housekeeping, so
 * a job lost with Redis or a crash only delays delivery.
 */
import type { Logger } from "pino";
import { ProtocolError } from "../../../protocol/errors.js";
import { ItemKind, MAX_ITEM_BYTES } from "../../../protocol/federation/delivery.js";
import type { JobEngine } from "../../../server/src/jobs/types.js";
import type { WriteTx } from "../../../server/src/services/stream-writer.js";
import type { Database } from "../../../server/src/storage/database.js";
import { FederationDestinationsRepo } from "../../../server/src/storage/repositories/federation-destinations.js";
import { FederationOutboxRepo } from "../../../server/src/storage/repositories/federation-outbox.js";
import type { PeerDirectory } from "../discovery/peers.js";
import type { BackoffSettings } from "./backoff.js";
import type { FederationClient } from "./client.js";
import { deliveryJobId, FederationJobs, type DeliverJob } from "./job-names.js";
import { DestinationSender } from "./sender.js";

/**
 * Retries of one run that could not start (another run holds a lease that may belong to a dead
 * process) or hit a database error: 1 s, 2 s, … 64 s, past the longest lease.
 */
const RUN_ATTEMPTS = 8;
const RUN_RETRY_MS = 1000;
/** A peer heard from is looked at once in this long at most: its requests do not each cost a query. */
const CATCH_UP_EVERY_MS = 5000;

export interface FederationDeliveryDeps {
  db: Database;
  jobs: JobEngine;
  peers: Pick<PeerDirectory, "permits">;
  federation: Pick<FederationClient, "send">;
  logger: Logger;
  /** This provider's server name: nothing is queued for itself. */
  serverName: string;
  backoff: BackoffSettings;
}

export class FederationDelivery {
  private readonly sender: DestinationSender;
  /** Destinations already woken after a transaction's commit: one wake-up each. */
  private readonly woken = new WeakMap<WriteTx, Set<string>>();
  private readonly heard = new Map<string, number>();

  constructor(private readonly deps: FederationDeliveryDeps) {
    this.sender = new DestinationSender({
      db: deps.db,
      federation: deps.federation,
      logger: deps.logger,
      backoff: deps.backoff,
      schedule: (destination, generation, delayMs) => this.schedule(destination, generation, delayMs),
    });
  }

  /**
   * Queues one item for `destination` inside the caller's write transaction; it is sent after the
   * commit (never if the transaction rolls back). Refuses a provider the operator blocked
   * (IO_CALLSIGN_PEER_BLOCKED) and a payload over `MAX_ITEM_BYTES` (M_TOO_LARGE).
   *
   * Holds a lock on the destination's row until the caller's transaction ends, so its items are
   * sent in commit order: keep such transactions short, and queue for one destination at a time.
   */
  async enqueue(
    tx: WriteTx,
    destination: string,
    kind: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const name = destination.toLowerCase();
    if (name === this.deps.serverName.toLowerCase()) throw new Error(`${name} is this provider`);
    if (!this.deps.peers.permits(name)) {
      throw new ProtocolError("IO_CALLSIGN_PEER_BLOCKED", `This provider does not talk to ${name}`, {
        provider: name,
      });
    }
    if (!ItemKind.safeParse(kind).success) throw new Error(`not an item kind: ${kind}`);
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    if (bytes > MAX_ITEM_BYTES) {
      throw new ProtocolError("M_TOO_LARGE", `A ${kind} item of ${bytes} bytes is over ${MAX_ITEM_BYTES}`);
    }
    const { generation, waitMs } = await new FederationDestinationsRepo(tx).lockForEnqueue(name);
    await new FederationOutboxRepo(tx).insert(name, kind, payload);
    let woken = this.woken.get(tx);
    if (!woken) this.woken.set(tx, (woken = new Set()));
    if (woken.has(name)) return;
    woken.add(name);
    // Waits out a back-off in progress; a run in flight sees the item before it lets go.
    tx.afterCommit(() => this.schedule(name, generation, waitMs));
  }

  /** Sends what is queued for `destination` now (resets its back-off): used when we hear from that peer. */
  async kick(destination: string): Promise<void> {
    const name = destination.toLowerCase();
    const state = await new FederationDestinationsRepo(this.deps.db).resetBackoff(name);
    // Never queued for, or a run is sending right now (it goes on until nothing is left).
    if (!state || state.leased) return;
    // The run waiting out the back-off, if any, is replaced by one now.
    await this.deps.jobs.cancel(FederationJobs.Deliver, deliveryJobId(name, state.generation));
    await this.schedule(name, state.generation, 0);
  }

  /**
   * Catch-up: a signed request from `origin` shows the peer is up; items waiting for it after
   * failed attempts go now. Called for every authenticated server-server request; never throws.
   */
  heardFrom(origin: string): void {
    const now = Date.now();
    if ((this.heard.get(origin) ?? 0) > now - CATCH_UP_EVERY_MS) return;
    this.heard.set(origin, now);
    void (async () => {
      if (!(await new FederationDestinationsRepo(this.deps.db).backingOff(origin))) return;
      this.deps.logger.info({ destination: origin }, "peer heard from: sending what waits for it now");
      await this.kick(origin);
    })().catch((err: unknown) => this.deps.logger.warn({ err, origin }, "catch-up kick failed"));
  }

  /**
   * Schedules a run for every destination with items waiting, after its back-off or lease (at
   * start, and by housekeeping: a job lost with Redis, or with a crash, is made again).
   */
  async resume(): Promise<number> {
    const waiting = await new FederationDestinationsRepo(this.deps.db).waiting();
    for (const w of waiting) await this.schedule(w.destination, w.generation, w.waitMs);
    return waiting.length;
  }

  /** The job's work: sends what is queued for `destination` (see sender.ts). */
  run(destination: string): Promise<void> {
    return this.sender.run(destination);
  }

  private async schedule(destination: string, generation: number, delayMs: number): Promise<void> {
    await this.deps.jobs.add<DeliverJob>(
      FederationJobs.Deliver,
      { destination },
      {
        jobId: deliveryJobId(destination, generation),
        delayMs,
        attempts: RUN_ATTEMPTS,
        backoffMs: RUN_RETRY_MS,
      },
    );
  }
}
