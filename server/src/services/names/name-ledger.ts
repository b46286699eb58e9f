/**
 * The low-level moves of a name's lifecycle, each inside the caller's transaction and written
 * to the audit log: activate for a term, release, hand over to a claimant; and scheduling the
 * deadline job that moves it on. The name service and the claims decide when; this decides how.
 */
import { NameState, type NameStateValue } from "../../../../protocol/callsign/names.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import type { Sql } from "../../storage/database.js";
import { NamesRepo, type NameRow } from "../../storage/repositories/names.js";
import { NameJobs, type NameDeadlineJob } from "./job-names.js";
import { quotePrice } from "./pricing.js";

export class NameLedger {
  constructor(
    private readonly jobs: JobEngine,
    private readonly cfg: Config["names"],
  ) {}

  /** Makes `row` active for one more term (from its paid end, or now); binds user names. */
  async activate(tx: Sql, row: NameRow, actor: string, reason: string, now: number) {
    const base = row.paidUntil && row.paidUntil.getTime() > now ? row.paidUntil.getTime() : now;
    const paidUntil = new Date(base + this.cfg.termMs);
    const repo = new NamesRepo(tx);
    if (
      !(await repo.update(row.name, row.state, {
        state: NameState.Active,
        heldUntil: null,
        paidUntil,
        graceUntil: null,
      }))
    ) {
      throw new ProtocolError("IO_CALLSIGN_NAME_TAKEN", `${row.name} changed meanwhile`);
    }
    await repo.logEvent(row.name, row.state, NameState.Active, actor, reason);
    // The holder's account (a person's, or a service's) answers to the name while it is active.
    await tx.query(`UPDATE accounts SET username = $2 WHERE user_id = $1`, [row.holderId, row.name]);
    return { state: NameState.Active as NameStateValue, at: paidUntil.getTime() };
  }

  async release(tx: Sql, row: NameRow, actor: string, reason: string): Promise<boolean> {
    const repo = new NamesRepo(tx);
    const released = await repo.update(row.name, row.state, {
      state: NameState.Released,
      heldUntil: null,
      graceUntil: null,
      releasedAt: new Date(),
    });
    if (!released) return false;
    await repo.logEvent(row.name, row.state, NameState.Released, actor, reason);
    await tx.query(`UPDATE accounts SET username = NULL WHERE user_id = $1 AND username = $2`, [
      row.holderId,
      row.name,
    ]);
    return true;
  }

  /** Releases a claimed name and holds it for its claimant at the plain price (no premium). */
  async handOver(tx: Sql, row: NameRow): Promise<{ state: NameStateValue; at: number }> {
    await this.release(tx, row, "system", `handed over to the verified owner of ${row.claimedDomain}`);
    const heldUntil = new Date(Date.now() + this.cfg.holdMs);
    const price = quotePrice(this.cfg, row.name, row.isBrand, null);
    const repo = new NamesRepo(tx);
    await repo.upsertHeld({
      ...row,
      holderId: row.claimedBy!,
      state: NameState.Held,
      heldUntil,
      dueCents: price.price + price.brandFee,
      paidUntil: null,
      graceUntil: null,
      releasedAt: null,
    });
    await repo.logEvent(
      row.name,
      null,
      NameState.Held,
      row.claimedBy!,
      `held for the verified owner of ${row.claimedDomain}`,
    );
    return { state: NameState.Held, at: heldUntil.getTime() };
  }

  /** Schedules the job of the name's next deadline (nothing for a released name). */
  async schedule(name: string, d: { state: NameStateValue; at: number }): Promise<void> {
    if (d.state === NameState.Released) return;
    await this.jobs.add<NameDeadlineJob>(
      NameJobs.Deadline,
      { name, state: d.state, at: d.at },
      { jobId: `${name}|${d.state}|${d.at}`, delayMs: Math.max(0, d.at - Date.now()) },
    );
  }
}

export type { NameDeadlineJob };
