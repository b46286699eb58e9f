/**
 * One row per peer provider this provider has queued items for: who holds its lease (the one
 * sender allowed to have a transaction in flight), its failures and back-off, and the
 * generation that names its next delivery job. Rows are kept when idle: the generation must
 * never start again from zero.
 */
import type { Sql } from "../database.js";

/** Milliseconds as an interval, for `now() + …`. */
const MS = `* interval '1 millisecond'`;

/** The destination's counters when a sender takes its lease. */
export interface DestinationLease {
  failures: number;
  generation: number;
}

/** A destination with items waiting, and how long until a run may send them. */
export interface WaitingDestination {
  destination: string;
  generation: number;
  waitMs: number;
}

export class FederationDestinationsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Makes sure the row exists and locks it until the caller's transaction ends, so that the
   * items of one destination are committed in the order of their `seq` and a sender letting go
   * of the destination sees every item committed before it did. Answers the generation and the
   * back-off still to wait.
   */
  async lockForEnqueue(destination: string): Promise<{ generation: number; waitMs: number }> {
    const [r] = await this.sql.query(
      `INSERT INTO federation_destinations AS d (destination) VALUES ($1)
       ON CONFLICT (destination) DO UPDATE SET destination = d.destination
       RETURNING d.generation,
         GREATEST(0, EXTRACT(EPOCH FROM (d.retry_at - now())) * 1000) AS wait_ms`,
      [destination],
    );
    return { generation: Number(r.generation), waitMs: Math.ceil(Number(r.wait_ms ?? 0)) };
  }

  /**
   * Takes the lease when it is free (or expired) and the back-off is over (within `slackMs`,
   * for timers that fire a little early by the database's clock).
   */
  async lease(
    destination: string,
    owner: string,
    leaseMs: number,
    slackMs: number,
  ): Promise<DestinationLease | undefined> {
    const [r] = await this.sql.query(
      `UPDATE federation_destinations SET lease_owner = $2, lease_until = now() + $3::float8 ${MS}
       WHERE destination = $1 AND (lease_until IS NULL OR lease_until < now())
         AND (retry_at IS NULL OR retry_at <= now() + $4::float8 ${MS})
       RETURNING failures, generation`,
      [destination, owner, leaseMs, slackMs],
    );
    return r ? { failures: Number(r.failures), generation: Number(r.generation) } : undefined;
  }

  /** Why the lease was not taken: another sender holds it, or the back-off is not over. */
  async state(destination: string): Promise<{ leased: boolean } | undefined> {
    const [r] = await this.sql.query(
      `SELECT lease_until IS NOT NULL AND lease_until >= now() AS leased
       FROM federation_destinations WHERE destination = $1`,
      [destination],
    );
    return r ? { leased: r.leased } : undefined;
  }

  /** Extends the lease; false when it is no longer `owner`'s. */
  async renew(destination: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.owned(destination, owner, `lease_until = now() + $3::float8 ${MS}`, [leaseMs]);
  }

  /** A transaction was answered (delivered, or refused for good): no back-off any more. */
  async answered(destination: string, owner: string, leaseMs: number, error: string | null) {
    return this.owned(
      destination,
      owner,
      `lease_until = now() + $3::float8 ${MS}, failures = 0, retry_at = NULL, last_error = $4,
       last_sent_at = CASE WHEN $4::text IS NULL THEN now() ELSE last_sent_at END`,
      [leaseMs, error],
    );
  }

  /** A transaction failed: the next attempt waits `delayMs`. The lease is kept (see `release`). */
  async failed(destination: string, owner: string, failures: number, error: string, delayMs: number) {
    return this.owned(
      destination,
      owner,
      `failures = $3, last_error = $4, retry_at = now() + $5::float8 ${MS}`,
      [failures, error, delayMs],
    );
  }

  /** Lets go of the destination: the next run is a job of the next generation. */
  async release(destination: string, owner: string): Promise<boolean> {
    return this.owned(
      destination,
      owner,
      `lease_owner = NULL, lease_until = NULL, generation = generation + 1`,
    );
  }

  /** Inside a transaction: locks the row if `owner` still holds the lease (waits for enqueuers). */
  async lockOwned(destination: string, owner: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM federation_destinations WHERE destination = $1 AND lease_owner = $2 FOR UPDATE`,
      [destination, owner],
    );
    return rows.length === 1;
  }

  /** Forgets the back-off (the peer was heard from): answers the generation, or undefined. */
  async resetBackoff(destination: string): Promise<{ generation: number; leased: boolean } | undefined> {
    const [r] = await this.sql.query(
      `UPDATE federation_destinations SET failures = 0, retry_at = NULL WHERE destination = $1
       RETURNING generation, lease_until IS NOT NULL AND lease_until >= now() AS leased`,
      [destination],
    );
    return r ? { generation: Number(r.generation), leased: r.leased } : undefined;
  }

  /** Whether items wait for `destination` after failed attempts. */
  async backingOff(destination: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM federation_destinations d WHERE d.destination = $1 AND d.failures > 0
         AND EXISTS (SELECT 1 FROM federation_outbox o WHERE o.destination = d.destination)`,
      [destination],
    );
    return rows.length > 0;
  }

  /** Every destination with items waiting, and how long until its back-off and lease are over. */
  async waiting(): Promise<WaitingDestination[]> {
    const rows = await this.sql.query(
      `SELECT d.destination, d.generation,
         GREATEST(0, EXTRACT(EPOCH FROM (GREATEST(d.retry_at, d.lease_until) - now())) * 1000) AS wait_ms
       FROM federation_destinations d
       WHERE EXISTS (SELECT 1 FROM federation_outbox o WHERE o.destination = d.destination)`,
    );
    return rows.map((r) => ({
      destination: r.destination,
      generation: Number(r.generation),
      waitMs: Math.ceil(Number(r.wait_ms ?? 0)),
    }));
  }

  private async owned(destination: string, owner: string, set: string, params: unknown[] = []) {
    const rows = await this.sql.query(
      `UPDATE federation_destinations SET ${set} WHERE destination = $1 AND lease_owner = $2 RETURNING 1`,
      [destination, owner, ...params],
    );
    return rows.length === 1;
  }
}
