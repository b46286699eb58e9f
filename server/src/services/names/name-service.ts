/**
 * Reserved names (user names now, service ids with the services): quote, reserve, pay, renew,
 * release, and the deadlines that move a name along its lifecycle
 * (`NameTransitions` in protocol/callsign/names.ts):
 *
 *   available → held (until paid, `CALLSIGN_NAME_HOLD_S`) → active (paid until) → grace (only the
 *   holder may renew) → released (a premium decays to zero) → reserved again by anyone.
 *
 * Every change is one transaction that also writes the name's audit event; every deadline is a
 * job keyed by the name and the deadline it acts on, which re-reads the row and acts only if
 * that deadline still holds — so a renewal in between, a duplicate job or a restart changes
 * nothing about when a name moves on. Housekeeping sweeps deadlines whose job was lost.
 */
import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import {
  NameState,
  type NameKind,
  type NameQuote,
  type NameStateValue,
  type NameView,
} from "../../../../protocol/callsign/names.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import type { Database, Sql } from "../../storage/database.js";
import { LedgerRepo } from "../../storage/repositories/ledger.js";
import { NamesRepo, type NameRow } from "../../storage/repositories/names.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { Requester } from "../requester.js";
import type { PaymentProvider } from "../payments/provider.js";
import type { BrandDetector } from "./brands.js";
import { NameJobs, type NameDeadlineJob } from "./job-names.js";
import { NameLedger } from "./name-ledger.js";
import { quotePrice } from "./pricing.js";

/** The handle rules the name service applies (protocol/names). */
export interface NameRules {
  /** The normalised name and its UTS #39 skeleton; throws IO_CALLSIGN_INVALID_NAME. */
  parse(input: string): { name: string; skeleton: string };
  isReserved(name: string): boolean;
}

/**
 * Who may act for a name's holder: the holder themself, and for a service id the management
 * team of the service's customer (they reserve, pay, renew and give it up).
 */
export type HolderAccess = (userId: string, holderId: string) => Promise<boolean>;

/** Options of a reservation made for another holder (a service's id, by its customer's team). */
export interface ReserveFor {
  holderId: string;
  /** Runs first in the reservation's transaction (creates the holder's account). */
  prepare?: (tx: Sql & { manager: EntityManager }) => Promise<void>;
}

/** How long past a deadline a name must be before the sweep moves it (the job normally does). */
const SWEEP_SLACK_MS = 60_000;

export class NameService {
  private readonly ledger: NameLedger;
  private actsFor: HolderAccess = async (userId, holderId) => userId === holderId;

  constructor(
    private readonly db: Database,
    private readonly rules: NameRules,
    private readonly brands: BrandDetector,
    private readonly payments: PaymentProvider,
    private readonly jobs: JobEngine,
    private readonly cfg: Config["names"],
  ) {
    this.ledger = new NameLedger(jobs, cfg);
  }

  /** Lets the team of a service's customer act for the service's names. */
  useHolderAccess(access: HolderAccess): void {
    this.actsFor = access;
  }

  private holds(r: Requester, row: NameRow): Promise<boolean> {
    return this.actsFor(r.userId, row.holderId);
  }

  /** What reserving `input` costs now and whether `r` can have it. */
  async quote(input: string, r?: Requester): Promise<NameQuote & { skeleton: string }> {
    const { name, skeleton } = this.rules.parse(input);
    const repo = new NamesRepo(this.db);
    const row = await repo.get(name);
    const lookalike = await repo.liveBySkeleton(skeleton);
    let reason: string | null = null;
    if (this.rules.isReserved(name)) reason = "reserved";
    else if (row && row.state !== NameState.Released) reason = row.holderId === r?.userId ? "yours" : "taken";
    else if (lookalike && lookalike.name !== name) reason = `looks like ${lookalike.name}`;
    const brandReasons = await this.brands.reasons(name);
    const price = quotePrice(this.cfg, name, brandReasons.length > 0, row?.releasedAt ?? null);
    return {
      name,
      skeleton,
      available: reason === null,
      reason,
      is_brand: brandReasons.length > 0,
      brand_reasons: brandReasons,
      price_cents: price.price,
      brand_fee_cents: price.brandFee,
      premium_cents: price.premium,
      total_cents: price.total,
      currency: this.cfg.currency,
      term_seconds: this.cfg.termMs / 1000,
    };
  }

  private refuse(q: NameQuote & { skeleton: string }, lookalike?: string): never {
    if (q.reason === "reserved")
      throw new ProtocolError("IO_CALLSIGN_NAME_RESERVED", `${q.name} is reserved`);
    if (q.reason?.startsWith("looks like")) {
      throw new ProtocolError("IO_CALLSIGN_NAME_CONFUSABLE", `${q.name} ${q.reason}`, {
        conflicts_with: lookalike ?? q.reason.slice("looks like ".length),
      });
    }
    throw new ProtocolError("IO_CALLSIGN_NAME_TAKEN", `${q.name} is not available`);
  }

  /**
   * Reserves a name for `r`: free names become active at once; others are held for payment.
   * A user may hold one user name (it becomes their account's user name once active).
   */
  async reserve(r: Requester, input: string, kind: NameKind, forHolder?: ReserveFor): Promise<NameView> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests cannot hold names");
    const holderId = forHolder?.holderId ?? r.userId;
    const q = await this.quote(input, r);
    if (!q.available) this.refuse(q);
    if (kind === "user" && (await new NamesRepo(this.db).ofHolder(holderId)).some((n) => n.kind === "user")) {
      throw new ProtocolError("IO_CALLSIGN_NAME_TAKEN", "You already hold a user name; release it first");
    }
    const now = Date.now();
    const deadline = await this.db.transaction(async (tx) => {
      await forHolder?.prepare?.(tx);
      const repo = new NamesRepo(tx);
      const row: NameRow = {
        name: q.name,
        skeleton: q.skeleton,
        kind,
        holderId,
        state: NameState.Held,
        isBrand: q.is_brand,
        brandReasons: q.brand_reasons,
        heldUntil: new Date(now + this.cfg.holdMs),
        dueCents: q.total_cents,
        paidUntil: null,
        graceUntil: null,
        releasedAt: null,
      };
      try {
        await repo.upsertHeld(row);
      } catch (err) {
        // The skeleton index refused a look-alike reserved a moment ago.
        if ((err as { code?: string }).code === "23505")
          this.refuse({ ...q, reason: "looks like a held name" });
        throw err;
      }
      const held = await repo.get(q.name);
      if (held?.holderId !== holderId || held.state !== NameState.Held)
        this.refuse({ ...q, reason: "taken" });
      await repo.logEvent(
        q.name,
        null,
        NameState.Held,
        r.userId,
        `reserved; ${q.total_cents} ${q.currency} due`,
      );
      if (q.total_cents === 0) return this.ledger.activate(tx, held, r.userId, "free name", now);
      return { state: NameState.Held, at: row.heldUntil!.getTime() };
    });
    await this.ledger.schedule(q.name, deadline);
    return this.view(r, q.name);
  }

  /**
   * At registration: checks that `input` can be the new account's user name for free (an
   * available name whose first term costs nothing); the answer is handed to `claimIn`.
   */
  async checkFreeUserName(input: string): Promise<NameQuote & { skeleton: string }> {
    const q = await this.quote(input);
    if (!q.available) this.refuse(q);
    if (q.total_cents > 0) {
      throw new ProtocolError(
        "IO_CALLSIGN_PAYMENT_REQUIRED",
        `${q.name} costs ${q.total_cents / 100} ${q.currency}: register without a user name, then reserve it`,
        { quote: { ...q, skeleton: undefined } },
      );
    }
    return q;
  }

  /**
   * Makes a checked free name the user name of a new account, inside its registration; the
   * caller passes the answer to `scheduleDeadline` once the registration has committed.
   */
  async claimIn(tx: Sql, holderId: string, q: NameQuote & { skeleton: string }): Promise<NameDeadlineJob> {
    const row: NameRow = {
      name: q.name,
      skeleton: q.skeleton,
      kind: "user",
      holderId,
      state: NameState.Held,
      isBrand: q.is_brand,
      brandReasons: q.brand_reasons,
      heldUntil: null,
      dueCents: 0,
      paidUntil: null,
      graceUntil: null,
      releasedAt: null,
    };
    const repo = new NamesRepo(tx);
    await repo.upsertHeld(row);
    if ((await repo.get(q.name))?.holderId !== holderId) this.refuse({ ...q, reason: "taken" });
    await repo.logEvent(q.name, null, NameState.Held, holderId, "chosen at registration");
    return { name: q.name, ...(await this.ledger.activate(tx, row, holderId, "free name", Date.now())) };
  }

  /** Pays for a held name (first term) or renews an active or grace one (another term). */
  async pay(r: Requester, input: string, source: string | undefined): Promise<NameView> {
    const { name } = this.rules.parse(input);
    const row = await new NamesRepo(this.db).get(name);
    if (!row || !(await this.holds(r, row)) || row.state === NameState.Released) {
      throw new ProtocolError("M_NOT_FOUND", `You hold no name ${name}`);
    }
    if (row.claimedBy) {
      throw new ProtocolError(
        "IO_CALLSIGN_NAME_CLAIMED",
        `The verified owner of ${row.claimedDomain} has claimed ${name}; it ends with its current term`,
      );
    }
    // The first term costs what was quoted at reservation (premium included); renewals the price.
    const term = quotePrice(this.cfg, name, row.isBrand, null);
    const amount = row.state === NameState.Held ? row.dueCents : term.price + term.brandFee;
    if (amount > 0 && !source)
      throw new ProtocolError("M_MISSING_PARAM", "`source` is required: this costs money");
    // Nothing to charge (a free name's renewal): nothing goes to the payment provider.
    const charge =
      amount === 0
        ? { status: "succeeded" as const, providerRef: "free", declineReason: undefined }
        : await this.payments.charge({
            payerId: r.userId,
            purpose: `name:${name}`,
            amountCents: amount,
            currency: this.cfg.currency,
            source: source!,
          });
    const now = Date.now();
    const deadline = await this.db.transaction(async (tx) => {
      const repo = new NamesRepo(tx);
      if (amount > 0)
        await new LedgerRepo(tx).record({
          paymentId: randomBytes(12).toString("base64url"),
          kind: "charge",
          payerId: r.userId,
          // A service id is the service's customer's expense.
          customerId: (await new ServicesRepo(tx).byAccount(row.holderId))?.customerId ?? null,
          purpose: `name:${name}`,
          amountCents: amount,
          currency: this.cfg.currency,
          provider: this.payments.name,
          providerRef: charge.providerRef,
          status: charge.status,
        });
      if (charge.status !== "succeeded") return undefined;
      const current = await repo.get(name, true);
      if (!current || current.holderId !== row.holderId || current.state === NameState.Released) {
        throw new ProtocolError("IO_CALLSIGN_NAME_TAKEN", `${name} was released before the payment arrived`);
      }
      return this.ledger.activate(
        tx,
        current,
        r.userId,
        `paid ${amount} ${this.cfg.currency} (${charge.providerRef})`,
        now,
      );
    });
    if (!deadline) {
      throw new ProtocolError(
        "IO_CALLSIGN_PAYMENT_DECLINED",
        charge.declineReason ?? "The payment was declined",
      );
    }
    await this.ledger.schedule(name, deadline);
    return this.view(r, name);
  }

  /** The holder gives a name up; it is released now (with the premium, like any release). */
  async release(r: Requester, input: string): Promise<void> {
    const { name } = this.rules.parse(input);
    const row = await new NamesRepo(this.db).get(name);
    if (!row || !(await this.holds(r, row)) || row.state === NameState.Released) {
      throw new ProtocolError("M_NOT_FOUND", `You hold no name ${name}`);
    }
    await this.db.transaction((tx) => this.ledger.release(tx, row, r.userId, "given up by the holder"));
  }

  /** The job: moves a name past the deadline it was scheduled for, if that deadline still holds. */
  async deadline(job: NameDeadlineJob, now = Date.now()): Promise<void> {
    if (job.at > now) return;
    const next = await this.db.transaction(async (tx) => {
      const row = await new NamesRepo(tx).get(job.name, true);
      if (!row || row.state !== job.state) return undefined;
      const due = { held: row.heldUntil, active: row.paidUntil, grace: row.graceUntil, released: null }[
        row.state
      ];
      if (!due || due.getTime() !== job.at) return undefined;
      if (row.claimedBy) return this.ledger.handOver(tx, row);
      if (row.state === NameState.Active && this.cfg.graceMs > 0) {
        const graceUntil = new Date(job.at + this.cfg.graceMs);
        await new NamesRepo(tx).update(row.name, row.state, { state: NameState.Grace, graceUntil });
        await new NamesRepo(tx).logEvent(row.name, row.state, NameState.Grace, "system", "term ended unpaid");
        return { state: NameState.Grace as NameStateValue, at: graceUntil.getTime() };
      }
      const why = row.state === NameState.Held ? "not paid within the hold" : "not renewed";
      await this.ledger.release(tx, row, "system", why);
      return undefined;
    });
    if (next) await this.ledger.schedule(job.name, next);
  }

  scheduleDeadline(d: NameDeadlineJob): Promise<void> {
    return this.ledger.schedule(d.name, d);
  }

  /** The ledger, for the claims (one set of lifecycle moves for both). */
  get moves(): NameLedger {
    return this.ledger;
  }

  /** Runs overdue deadlines whose job was lost (housekeeping). */
  async sweep(now = Date.now()): Promise<number> {
    const rows: { name: string; state: NameStateValue; due: Date }[] = await this.db.query(
      `SELECT name, state, COALESCE(CASE state WHEN 'held' THEN held_until WHEN 'active' THEN paid_until
         WHEN 'grace' THEN grace_until END, now()) AS due
       FROM names WHERE state <> 'released' AND COALESCE(CASE state WHEN 'held' THEN held_until
         WHEN 'active' THEN paid_until WHEN 'grace' THEN grace_until END, now()) < $1 LIMIT 1000`,
      [new Date(now - SWEEP_SLACK_MS)],
    );
    for (const r of rows) await this.deadline({ name: r.name, state: r.state, at: r.due.getTime() }, now);
    return rows.length;
  }

  async mine(r: Requester): Promise<NameView[]> {
    const rows = await new NamesRepo(this.db).ofHolder(r.userId);
    return Promise.all(rows.map((n) => this.view(r, n.name)));
  }

  async view(r: Requester, name: string): Promise<NameView> {
    const repo = new NamesRepo(this.db);
    const row = await repo.get(name);
    if (!row || !(await this.holds(r, row)))
      throw new ProtocolError("M_NOT_FOUND", `You hold no name ${name}`);
    const renewal = quotePrice(this.cfg, name, row.isBrand, null);
    const ms = (d: Date | null) => (d ? d.getTime() : null);
    return {
      name: row.name,
      kind: row.kind,
      state: row.state,
      holder: row.holderId,
      is_brand: row.isBrand,
      brand_reasons: row.brandReasons,
      held_until: ms(row.heldUntil),
      paid_until: ms(row.paidUntil),
      grace_until: ms(row.graceUntil),
      // A held name owes what was quoted at reservation (premium included); others a term's price.
      renewal_cents: row.state === NameState.Held ? row.dueCents : renewal.price + renewal.brandFee,
      claimed_by_domain: row.claimedDomain ?? null,
      currency: this.cfg.currency,
      events: await repo.currentEvents(name),
    };
  }
}

export { NameJobs, type NameDeadlineJob };
