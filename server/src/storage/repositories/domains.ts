/** Domain claims. */
import type { DomainStateValue } from "../../../../protocol/callsign/domains.js";
import type { Sql } from "../database.js";

export interface ClaimRow {
  claimId: string;
  domain: string;
  holderId: string;
  token: string;
  state: DomainStateValue;
  createdAt: Date;
  verifiedAt: Date | null;
  lastCheckedAt: Date | null;
  failures: number;
  firstFailureAt: Date | null;
  graceUntil: Date | null;
}

const COLS: [keyof ClaimRow, string][] = [
  ["claimId", "claim_id"],
  ["domain", "domain"],
  ["holderId", "holder_id"],
  ["token", "token"],
  ["state", "state"],
  ["createdAt", "created_at"],
  ["verifiedAt", "verified_at"],
  ["lastCheckedAt", "last_checked_at"],
  ["failures", "failures"],
  ["firstFailureAt", "first_failure_at"],
  ["graceUntil", "grace_until"],
];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toClaim = (r: any) => Object.fromEntries(COLS.map(([k, c]) => [k, r[c]])) as unknown as ClaimRow;
const col = Object.fromEntries(COLS) as Record<keyof ClaimRow, string>;

export class DomainClaimsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(c: Pick<ClaimRow, "claimId" | "domain" | "holderId" | "token">): Promise<void> {
    await this.sql.query(
      `INSERT INTO domain_claims (claim_id, domain, holder_id, token, state) VALUES ($1, $2, $3, $4, 'pending')`,
      [c.claimId, c.domain, c.holderId, c.token],
    );
  }

  async get(claimId: string, forUpdate = false): Promise<ClaimRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM domain_claims WHERE claim_id = $1${forUpdate ? " FOR UPDATE" : ""}`,
      [claimId],
    );
    return r ? toClaim(r) : undefined;
  }

  /** The holder's open claim (pending or holding) of a domain. */
  async openOf(holderId: string, domain: string): Promise<ClaimRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM domain_claims WHERE holder_id = $1 AND domain = $2
       AND state IN ('pending', 'verified', 'failing', 'grace')`,
      [holderId, domain],
    );
    return r ? toClaim(r) : undefined;
  }

  /** The claim that holds the domain now, if any. */
  async holding(domain: string): Promise<ClaimRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM domain_claims WHERE domain = $1 AND state IN ('verified', 'failing', 'grace')`,
      [domain],
    );
    return r ? toClaim(r) : undefined;
  }

  async ofHolder(holderId: string): Promise<ClaimRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM domain_claims WHERE holder_id = $1 AND state IN ('pending', 'verified', 'failing', 'grace')
       ORDER BY domain`,
      [holderId],
    );
    return rows.map(toClaim);
  }

  async update(claimId: string, from: DomainStateValue, patch: Partial<ClaimRow>): Promise<boolean> {
    const entries = Object.entries(patch) as [keyof ClaimRow, unknown][];
    const rows = await this.sql.query(
      `UPDATE domain_claims SET ${entries.map(([k], i) => `${col[k]} = $${i + 3}`).join(", ")}
       WHERE claim_id = $1 AND state = $2 RETURNING 1`,
      [claimId, from, ...entries.map(([, v]) => v)],
    );
    return rows.length === 1;
  }
}
