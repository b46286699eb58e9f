/**
 * Verified owners win (spec/names.md): the verified owner of `<label>.<tld>` claims a
 * brand-like name that someone else holds. The holder keeps it to the end of the term already
 * paid (or the hold), may not renew, and hears of it by e-mail; then the name is held for the
 * claimant. A name in grace (its term over) is handed over at once.
 */
import { NameState } from "../../../../protocol/callsign/names.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import type { Database } from "../../storage/database.js";
import { NamesRepo } from "../../storage/repositories/names.js";
import type { Requester } from "../requester.js";
import { brandDomains } from "./brands.js";
import { NameJobs, type NameClaimedJob } from "./job-names.js";
import type { NameLedger } from "./name-ledger.js";
import type { NameRules } from "./name-service.js";

export class NameClaims {
  constructor(
    private readonly db: Database,
    private readonly rules: NameRules,
    private readonly ledger: NameLedger,
    private readonly jobs: JobEngine,
    private readonly cfg: Config["names"],
  ) {}

  /** Claims `input` for `r`, who must hold a verified claim of a matching domain. */
  async claim(
    r: Requester,
    input: string,
    ownsDomain: (holderId: string, domain: string) => Promise<boolean>,
  ): Promise<{ name: string; claimed_by_domain: string; holder_until: number | null }> {
    const { name } = this.rules.parse(input);
    const row = await new NamesRepo(this.db).get(name);
    if (!row || row.state === NameState.Released) {
      throw new ProtocolError("M_NOT_FOUND", `Nobody holds ${name}: reserve it instead`);
    }
    if (row.holderId === r.userId) throw new ProtocolError("M_INVALID_PARAM", `You hold ${name} already`);
    const domains = brandDomains(name, this.cfg.brandTlds);
    const holderOwns = async (who: string) => {
      for (const d of domains) if (await ownsDomain(who, d)) return d;
      return undefined;
    };
    const domain = await holderOwns(r.userId);
    if (!domain) {
      throw new ProtocolError("IO_CALLSIGN_NOT_VERIFIED_OWNER", `Verify one of ${domains.join(", ")} first`);
    }
    if (await holderOwns(row.holderId)) {
      throw new ProtocolError(
        "IO_CALLSIGN_NAME_TAKEN",
        `The holder of ${name} is a verified domain owner too`,
      );
    }
    const next = await this.db.transaction(async (tx) => {
      const repo = new NamesRepo(tx);
      if (!(await repo.setClaim(name, r.userId, domain))) {
        throw new ProtocolError("IO_CALLSIGN_NAME_CLAIMED", `${name} has been claimed already`);
      }
      await repo.logEvent(name, row.state, row.state, r.userId, `claimed by the verified owner of ${domain}`);
      const claimed = (await repo.get(name, true))!;
      return claimed.state === NameState.Grace ? this.ledger.handOver(tx, claimed) : undefined;
    });
    if (next) await this.ledger.schedule(name, next);
    await this.jobs.add<NameClaimedJob>(
      NameJobs.Claimed,
      { name, holderId: row.holderId, domain },
      {
        jobId: `${name}|${r.userId}|${domain}`,
      },
    );
    const until =
      row.state === NameState.Held ? row.heldUntil : row.state === NameState.Active ? row.paidUntil : null;
    return { name, claimed_by_domain: domain, holder_until: next ? null : (until?.getTime() ?? null) };
  }
}
