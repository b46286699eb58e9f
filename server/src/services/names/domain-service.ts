/**
 * Proving control of a domain through DNS (ACME DNS-01 in spirit, RFC 8555 §8.4). A claim gets
 * a token bound to the domain, the claimant and a fresh nonce; the claimant publishes it as a
 * TXT record at `_verify._callsign.<domain>`; a check sees it through the configured resolver.
 *
 * A verified claim is re-checked by a job. A record that disappears does not unverify the
 * domain at once: only `failures` failed checks in a row spanning the failure window move the
 * claim to grace, and only the end of the grace lapses it. A lapsed or revoked claim never
 * comes back — its token dies with it — so a later owner of the domain cannot revive an old
 * claim by re-adding an old record. When a second claimant proves control, the newest proof
 * wins and the older holding claim is revoked. Answers that cannot tell (time-out, SERVFAIL)
 * decide nothing.
 *
 * Handle resolution reads claims from the database every time, so a claim's state counts at
 * once everywhere. What it caches is DNS: after a check or a withdrawal this process's resolver
 * forgets what it knew of the domain (`forget`), since the holder has likely just changed its
 * records (a `_callsign` record published with the proof); other processes see them within
 * their TTL, as any resolver would.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  DomainState,
  HoldingStates,
  VERIFY_LABEL,
  type DomainStateValue,
  type DomainView,
} from "../../../../protocol/callsign/domains.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { HandleError } from "../../../../protocol/names/handle-error.js";
import { parseDomain } from "../../../../protocol/names/grammar.js";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import type { Database } from "../../storage/database.js";
import { DomainClaimsRepo, type ClaimRow } from "../../storage/repositories/domains.js";
import type { Requester } from "../requester.js";
import { DnsLookupError, type DnsClient } from "./dns.js";

export const DomainJobs = { Recheck: "domain-recheck" } as const;

export interface RecheckJob {
  claimId: string;
  at: number;
}

const TOKEN_PREFIX = "callsign-verify=";

export class DomainService {
  constructor(
    private readonly db: Database,
    /** An uncached client: a check must see the record as it is now. */
    private readonly dns: DnsClient,
    private readonly jobs: JobEngine,
    private readonly cfg: Config["domains"],
    /** The handle resolver's cached client, told to forget a domain whose claim changed. */
    private readonly resolverCache?: Pick<DnsClient, "forget">,
  ) {}

  private parse(input: string): { ascii: string; unicode: string } {
    try {
      return parseDomain(input);
    } catch (err) {
      if (err instanceof HandleError) {
        throw new ProtocolError("IO_CALLSIGN_INVALID_NAME", err.message, { reason: err.reason });
      }
      throw err;
    }
  }

  /** Claims a domain (or answers the holder's open claim of it) with the record to publish. */
  async claim(r: Requester, input: string): Promise<DomainView> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests cannot claim domains");
    const { ascii } = this.parse(input);
    const repo = new DomainClaimsRepo(this.db);
    const open = await repo.openOf(r.userId, ascii);
    if (open) return this.view(open);
    const nonce = randomBytes(16).toString("base64url");
    const token = createHash("sha256").update(`${ascii}\n${r.userId}\n${nonce}`).digest("base64url");
    const claimId = randomBytes(12).toString("base64url");
    await repo.insert({ claimId, domain: ascii, holderId: r.userId, token });
    return this.view((await repo.get(claimId))!);
  }

  async list(r: Requester): Promise<DomainView[]> {
    return (await new DomainClaimsRepo(this.db).ofHolder(r.userId)).map((c) => this.view(c));
  }

  private async own(r: Requester, input: string): Promise<ClaimRow> {
    const { ascii } = this.parse(input);
    const claim = await new DomainClaimsRepo(this.db).openOf(r.userId, ascii);
    if (!claim) throw new ProtocolError("M_NOT_FOUND", `You have no claim of ${ascii}`);
    return claim;
  }

  /** Withdraws the holder's claim. */
  async withdraw(r: Requester, input: string): Promise<void> {
    const claim = await this.own(r, input);
    await new DomainClaimsRepo(this.db).update(claim.claimId, claim.state, { state: DomainState.Lapsed });
    this.resolverCache?.forget(claim.domain);
  }

  /** "Check now": looks the record up and moves the claim accordingly. */
  async checkNow(r: Requester, input: string): Promise<DomainView> {
    const claim = await this.own(r, input);
    const seen = await this.lookup(claim);
    if (seen === undefined)
      throw new ProtocolError("IO_CALLSIGN_DNS_FAILED", `DNS could not tell about ${claim.domain}`);
    await this.apply(claim, seen);
    return this.view((await new DomainClaimsRepo(this.db).get(claim.claimId))!);
  }

  /** The job: re-checks a holding claim, if this is still its scheduled check. */
  async recheck(job: RecheckJob): Promise<void> {
    const claim = await new DomainClaimsRepo(this.db).get(job.claimId);
    if (!claim || !HoldingStates.includes(claim.state)) return;
    const seen = await this.lookup(claim);
    if (seen === undefined) {
      // Could not tell: decide nothing, ask again sooner than usual.
      await this.schedule(claim.claimId, Date.now() + Math.min(this.cfg.recheckMs, 60_000));
      return;
    }
    await this.apply(claim, seen);
  }

  /** true: the record is there; false: definitely not; undefined: DNS could not tell. */
  private async lookup(claim: ClaimRow): Promise<boolean | undefined> {
    try {
      const answer = await this.dns.txt(`${VERIFY_LABEL}.${claim.domain}`);
      return answer.found && answer.records.some((t) => t.trim() === TOKEN_PREFIX + claim.token);
    } catch (err) {
      if (err instanceof DnsLookupError) return undefined;
      throw err;
    }
  }

  private async apply(claim: ClaimRow, seen: boolean, now = Date.now()): Promise<void> {
    const next = await this.db.transaction(async (tx) => {
      const repo = new DomainClaimsRepo(tx);
      const c = await repo.get(claim.claimId, true);
      if (!c || c.state === DomainState.Lapsed || c.state === DomainState.Revoked) return undefined;
      const stamp = { lastCheckedAt: new Date(now) };
      if (seen) {
        // The newest proof wins: a claim that held the domain until now is revoked.
        const other = await repo.holding(c.domain);
        if (other && other.claimId !== c.claimId)
          await repo.update(other.claimId, other.state, { state: DomainState.Revoked });
        await repo.update(c.claimId, c.state, {
          ...stamp,
          state: DomainState.Verified,
          verifiedAt: c.state === DomainState.Pending ? new Date(now) : (c.verifiedAt ?? new Date(now)),
          failures: 0,
          firstFailureAt: null,
          graceUntil: null,
        });
        return now + this.cfg.recheckMs;
      }
      if (c.state === DomainState.Pending) {
        await repo.update(c.claimId, c.state, stamp);
        return undefined;
      }
      const failures = c.failures + 1;
      const firstFailureAt = c.firstFailureAt ?? new Date(now);
      let state: DomainStateValue = c.state === DomainState.Verified ? DomainState.Failing : c.state;
      let graceUntil = c.graceUntil;
      if (
        state === DomainState.Failing &&
        failures >= this.cfg.failures &&
        now - firstFailureAt.getTime() >= this.cfg.failWindowMs
      ) {
        state = DomainState.Grace;
        graceUntil = new Date(now + this.cfg.graceMs);
      }
      if (state === DomainState.Grace && graceUntil && now >= graceUntil.getTime())
        state = DomainState.Lapsed;
      await repo.update(c.claimId, c.state, { ...stamp, state, failures, firstFailureAt, graceUntil });
      if (state === DomainState.Lapsed) return undefined;
      const due = now + this.cfg.recheckMs;
      return state === DomainState.Grace && graceUntil ? Math.min(due, graceUntil.getTime()) : due;
    });
    this.resolverCache?.forget(claim.domain);
    if (next !== undefined) await this.schedule(claim.claimId, next);
  }

  private async schedule(claimId: string, at: number): Promise<void> {
    await this.jobs.add<RecheckJob>(
      DomainJobs.Recheck,
      { claimId, at },
      { jobId: `${claimId}|${at}`, delayMs: Math.max(0, at - Date.now()) },
    );
  }

  /** Whether `holderId` holds `domain` (verified, failing or in grace). */
  async holds(holderId: string, domain: string): Promise<boolean> {
    const c = await new DomainClaimsRepo(this.db).holding(this.parse(domain).ascii);
    return c?.holderId === holderId;
  }

  close(): void {
    this.dns.close();
  }

  private view(c: ClaimRow): DomainView {
    const ms = (d: Date | null) => (d ? d.getTime() : null);
    return {
      domain: c.domain,
      display: this.parse(c.domain).unicode,
      state: c.state,
      record: { name: `${VERIFY_LABEL}.${c.domain}`, type: "TXT", value: TOKEN_PREFIX + c.token },
      verified_at: ms(c.verifiedAt),
      last_checked_at: ms(c.lastCheckedAt),
      failures: c.failures,
      grace_until: ms(c.graceUntil),
    };
  }
}
