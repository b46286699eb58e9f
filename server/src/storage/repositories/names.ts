/** Reserved names, their events and payments. */
import type { BrandReason, NameKind, NameStateValue } from "../../../../protocol/callsign/names.js";
import type { Sql } from "../database.js";

export interface NameRow {
  name: string;
  skeleton: string;
  kind: NameKind;
  holderId: string;
  state: NameStateValue;
  isBrand: boolean;
  brandReasons: BrandReason[];
  heldUntil: Date | null;
  /** What the holder owes for the first term (quoted at reservation, premium included). */
  dueCents: number;
  paidUntil: Date | null;
  graceUntil: Date | null;
  releasedAt: Date | null;
  /** A verified owner of `claimedDomain` who claimed the name: the holder may not renew. */
  claimedBy?: string | null;
  claimedDomain?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toName = (r: any): NameRow => ({
  name: r.name,
  skeleton: r.skeleton,
  kind: r.kind,
  holderId: r.holder_id,
  state: r.state,
  isBrand: r.is_brand,
  brandReasons: r.brand_reasons,
  heldUntil: r.held_until,
  dueCents: r.due_cents,
  paidUntil: r.paid_until,
  graceUntil: r.grace_until,
  releasedAt: r.released_at,
  claimedBy: r.claimed_by,
  claimedDomain: r.claimed_domain,
});

export class NamesRepo {
  constructor(private readonly sql: Sql) {}

  async get(name: string, forUpdate = false): Promise<NameRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM names WHERE name = $1${forUpdate ? " FOR UPDATE" : ""}`, [
      name,
    ]);
    return r ? toName(r) : undefined;
  }

  /** The live (not released) name whose skeleton is `skeleton`, if any: a look-alike holder. */
  async liveBySkeleton(skeleton: string): Promise<NameRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM names WHERE skeleton = $1 AND state <> 'released'`, [
      skeleton,
    ]);
    return r ? toName(r) : undefined;
  }

  async ofHolder(holderId: string): Promise<NameRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM names WHERE holder_id = $1 AND state <> 'released' ORDER BY name`,
      [holderId],
    );
    return rows.map(toName);
  }

  /** Inserts a new reservation, or takes over a released row. */
  async upsertHeld(n: NameRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO names (name, skeleton, kind, holder_id, state, is_brand, brand_reasons, held_until, due_cents)
       VALUES ($1, $2, $3, $4, 'held', $5, $6, $7, $8)
       ON CONFLICT (name) DO UPDATE SET skeleton = EXCLUDED.skeleton, kind = EXCLUDED.kind,
         holder_id = EXCLUDED.holder_id, state = 'held', is_brand = EXCLUDED.is_brand,
         brand_reasons = EXCLUDED.brand_reasons, held_until = EXCLUDED.held_until, due_cents = EXCLUDED.due_cents,
         paid_until = NULL, grace_until = NULL, released_at = NULL, claimed_by = NULL, claimed_domain = NULL,
         updated_at = now()
       WHERE names.state = 'released'`,
      [
        n.name,
        n.skeleton,
        n.kind,
        n.holderId,
        n.isBrand,
        JSON.stringify(n.brandReasons),
        n.heldUntil,
        n.dueCents,
      ],
    );
  }

  /** Moves a name from `from` to the patch's state; false when it is no longer in `from`. */
  async update(
    name: string,
    from: NameStateValue,
    patch: Partial<Pick<NameRow, "state" | "heldUntil" | "paidUntil" | "graceUntil" | "releasedAt">>,
  ): Promise<boolean> {
    const cols: Record<string, string> = {
      state: "state",
      heldUntil: "held_until",
      paidUntil: "paid_until",
      graceUntil: "grace_until",
      releasedAt: "released_at",
    };
    const entries = Object.entries(patch);
    const sets = entries.map(([k], i) => `${cols[k]} = $${i + 3}`).join(", ");
    const rows = await this.sql.query(
      `UPDATE names SET ${sets}, updated_at = now() WHERE name = $1 AND state = $2 RETURNING 1`,
      [name, from, ...entries.map(([, v]) => v)],
    );
    return rows.length === 1;
  }

  async setClaim(name: string, claimedBy: string, domain: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE names SET claimed_by = $2, claimed_domain = $3, updated_at = now()
       WHERE name = $1 AND state <> 'released' AND claimed_by IS NULL RETURNING 1`,
      [name, claimedBy, domain],
    );
    return rows.length === 1;
  }

  async logEvent(
    name: string,
    from: NameStateValue | null,
    to: NameStateValue,
    actor: string,
    reason: string,
  ) {
    await this.sql.query(
      `INSERT INTO name_events (name, from_state, to_state, actor, reason) VALUES ($1, $2, $3, $4, $5)`,
      [name, from, to, actor, reason],
    );
  }

  /** The events since the name was last reserved: the current holding's history only. */
  async currentEvents(name: string) {
    const rows = await this.sql.query(
      `SELECT from_state, to_state, actor, reason, at FROM name_events
       WHERE name = $1 AND id >= (SELECT max(id) FROM name_events WHERE name = $1 AND from_state IS NULL)
       ORDER BY id`,
      [name],
    );
    return rows.map(
      (r: {
        from_state: NameStateValue | null;
        to_state: NameStateValue;
        actor: string;
        reason: string;
        at: Date;
      }) => ({
        from: r.from_state,
        to: r.to_state,
        actor: r.actor,
        reason: r.reason,
        at: r.at.getTime(),
      }),
    );
  }
}
