/**
 * One run of a destination's delivery job (spec/federation-delivery.md "Sending"). The run
 * takes the destination's lease — a short one, in the database, so that across every process
 * at most one transaction is in flight per peer — and then, until nothing is left:
 *
 * 1. the transaction already composed and not yet delivered is sent again, exactly as it was
 *    (same ID, same items); else the oldest items (at most 50, and what fits in the body) are
 *    stamped with a new ID first, so the composition is fixed before anything is sent;
 * 2. the signed PUT goes out with no database transaction open (the embedded database has one
 *    connection);
 * 3. 2xx: the items are deleted and the back-off forgotten. 4xx other than 401, 408 and 429:
 *    the peer refused the transaction for good — logged, dropped, and the next one goes. Anything
 *    else (no answer, 5xx, 429, 401 while a key rotation propagates): the failure is counted and
 *    the next run is scheduled after the back-off, as the next generation's job.
 *
 * Letting go of the destination happens in a short transaction that first locks its row (so it
 * waits for any transaction queueing an item for it) and looks at the outbox once more: an item
 * committed before is sent by this run; one committed after finds the lease free and wakes the
 * next generation's job.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { ProtocolError } from "../../../protocol/errors.js";
import {
  ItemOutcome,
  MAX_ITEMS_PER_TRANSACTION,
  MAX_TRANSACTION_BYTES,
  type SendTransactionRequest,
  type SendTransactionResponse,
} from "../../../protocol/federation/delivery.js";
import { FederationApiRoutes } from "../../../protocol/federation/routes.js";
import type { Database } from "../../../server/src/storage/database.js";
import {
  FederationDestinationsRepo,
  type DestinationLease,
} from "../../../server/src/storage/repositories/federation-destinations.js";
import {
  FederationOutboxRepo,
  type OutboxItem,
} from "../../../server/src/storage/repositories/federation-outbox.js";
import { retryDelay, type BackoffSettings } from "./backoff.js";
import type { FederationClient } from "./client.js";

/** How long a run may go without renewing its lease: well over one attempt (look-ups + 15 s). */
export const LEASE_MS = 60_000;
/** How early by the database's clock a back-off timer may fire and still count. */
const SLACK_MS = 250;

/** Another run holds the destination: thrown so that the job engine tries again shortly. */
export class LeaseBusy extends Error {}

/** Statuses after which the same transaction is tried again later. */
const retryable = (status: number) => status >= 500 || status === 429 || status === 408 || status === 401;

/** Answered for good (delivered, or refused: then `error` says why), or to be tried again. */
type Outcome = { answered: true; error?: string } | { answered: false; error: string };

export interface SenderDeps {
  db: Database;
  federation: Pick<FederationClient, "send">;
  logger: Logger;
  backoff: BackoffSettings;
  /** Schedules the destination's job of `generation` to run in `delayMs`. */
  schedule(destination: string, generation: number, delayMs: number): Promise<void>;
}

export class DestinationSender {
  constructor(private readonly deps: SenderDeps) {}

  async run(destination: string): Promise<void> {
    const destinations = new FederationDestinationsRepo(this.deps.db);
    const owner = randomUUID();
    const lease = await destinations.lease(destination, owner, LEASE_MS, SLACK_MS);
    if (!lease) {
      // Backing off: the run after the back-off is scheduled (and `resume` re-schedules a lost one).
      if ((await destinations.state(destination))?.leased) throw new LeaseBusy(`${destination} is leased`);
      return;
    }
    try {
      await this.send(destination, owner, lease);
    } catch (err) {
      // The database failed us: let go now rather than after the lease runs out (the job is retried).
      await destinations.release(destination, owner).catch(() => undefined);
      throw err;
    }
  }

  /** Sends transaction after transaction while the lease is ours. */
  private async send(destination: string, owner: string, lease: DestinationLease): Promise<void> {
    const destinations = new FederationDestinationsRepo(this.deps.db);
    let failures = lease.failures;
    for (;;) {
      const txn = await this.next(destination, owner);
      if (!txn) return;
      const outcome = await this.attempt(destination, txn.txnId, txn.items);
      if (!outcome.answered) {
        failures += 1;
        const delayMs = retryDelay(failures, this.deps.backoff);
        const error = outcome.error;
        this.deps.logger.warn({ destination, txnId: txn.txnId, failures, delayMs, error }, "delivery failed");
        await destinations.failed(destination, owner, failures, error, delayMs);
        // Scheduled before letting go: a wake-up after the release joins this job, not a new one.
        await this.deps.schedule(destination, lease.generation + 1, delayMs);
        await destinations.release(destination, owner);
        return;
      }
      await new FederationOutboxRepo(this.deps.db).remove(destination, txn.txnId);
      failures = 0;
      if (!(await destinations.answered(destination, owner, LEASE_MS, outcome.error ?? null))) return;
    }
  }

  /** The transaction to send now: the pending one, else a new one; undefined once let go. */
  private async next(
    destination: string,
    owner: string,
  ): Promise<{ txnId: string; items: OutboxItem[] } | undefined> {
    const outbox = new FederationOutboxRepo(this.deps.db);
    for (;;) {
      const pending = await outbox.pending(destination);
      if (pending) return pending;
      // Only the lease holder composes: one composition per transaction ID, ever.
      if (!(await new FederationDestinationsRepo(this.deps.db).renew(destination, owner, LEASE_MS))) return;
      const txnId = randomUUID();
      const composed = await outbox.compose(
        destination,
        txnId,
        MAX_ITEMS_PER_TRANSACTION,
        MAX_TRANSACTION_BYTES,
      );
      if (composed > 0) continue;
      const letGo = await this.deps.db.transaction(async (tx) => {
        const destinations = new FederationDestinationsRepo(tx);
        if (!(await destinations.lockOwned(destination, owner))) return true;
        if (await new FederationOutboxRepo(tx).any(destination)) return false;
        await destinations.release(destination, owner);
        return true;
      });
      if (letGo) return;
    }
  }

  private async attempt(destination: string, txnId: string, items: OutboxItem[]): Promise<Outcome> {
    const body: SendTransactionRequest = { items: items.map(({ kind, payload }) => ({ kind, payload })) };
    const path = FederationApiRoutes.send.replace(":txnId", encodeURIComponent(txnId));
    let res: Response;
    let text: string;
    try {
      res = await this.deps.federation.send(destination, "PUT", path, body);
      text = await res.text();
    } catch (err) {
      // Blocked by our operator after the items were queued: they will never go.
      if (err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_PEER_BLOCKED") {
        return this.refused(destination, txnId, items, err.message);
      }
      return { answered: false, error: (err as Error).message };
    }
    if (res.ok) {
      this.report(destination, txnId, items, text);
      return { answered: true };
    }
    const error = `${destination} answered ${res.status}${errcodeOf(text)}`;
    if (retryable(res.status)) return { answered: false, error };
    return this.refused(destination, txnId, items, error);
  }

  private refused(destination: string, txnId: string, items: OutboxItem[], error: string): Outcome {
    const kinds = [...new Set(items.map((i) => i.kind))];
    this.deps.logger.error(
      { destination, txnId, items: items.length, kinds, error },
      "a peer refused a transaction for good: its items are dropped",
    );
    return { answered: true, error };
  }

  /** Logs the items the peer did not apply (a handler refused them, or it does not know the kind). */
  private report(destination: string, txnId: string, items: OutboxItem[], text: string): void {
    let answer: Partial<SendTransactionResponse> = {};
    try {
      answer = JSON.parse(text) as SendTransactionResponse;
    } catch {
      /* delivered all the same: the answer is only informative */
    }
    (answer.results ?? []).forEach((r, i) => {
      if (r.outcome === ItemOutcome.Applied) return;
      this.deps.logger.warn(
        { destination, txnId, kind: items[i]?.kind, outcome: r.outcome, errcode: r.errcode, error: r.error },
        "a peer did not apply an item",
      );
    });
  }
}

function errcodeOf(text: string): string {
  try {
    const errcode = (JSON.parse(text) as { errcode?: unknown }).errcode;
    return typeof errcode === "string" ? ` ${errcode}` : "";
  } catch {
    return "";
  }
}
