/** Per-subscriber settings and state: inbox options, tags, presence. */
import { DefaultInboxOptions, type InboxOptions } from "../../../../protocol/callsign/calls.js";
import type { Sql } from "../database.js";

export class InboxOptionsRepo {
  constructor(private readonly sql: Sql) {}

  async get(userId: string): Promise<InboxOptions> {
    const [r] = await this.sql.query(
      `SELECT calls, anonymous, one_click, captcha FROM inbox_options WHERE user_id = $1`,
      [userId],
    );
    return r
      ? { calls: r.calls, anonymous: r.anonymous, one_click: r.one_click, captcha: r.captcha }
      : { ...DefaultInboxOptions };
  }

  async put(userId: string, o: InboxOptions): Promise<void> {
    await this.sql.query(
      `INSERT INTO inbox_options (user_id, calls, anonymous, one_click, captcha) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET calls = EXCLUDED.calls, anonymous = EXCLUDED.anonymous,
         one_click = EXCLUDED.one_click, captcha = EXCLUDED.captcha`,
      [userId, o.calls, o.anonymous, o.one_click, o.captcha],
    );
  }
}

export interface TagRow {
  ownerId: string;
  name: string;
  topic: string | null;
  anonymous: boolean;
  oneClick: boolean;
  expiresAt: Date;
  expired: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toTag = (r: any): TagRow => ({
  ownerId: r.owner_id,
  name: r.name,
  topic: r.topic,
  anonymous: r.anonymous,
  oneClick: r.one_click,
  expiresAt: r.expires_at,
  expired: r.expired,
});

export class TagsRepo {
  constructor(private readonly sql: Sql) {}

  /** Inserts a tag; false when the owner already has one of that name. */
  async insert(t: Omit<TagRow, "expired">): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO tags (owner_id, name, topic, anonymous, one_click, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [t.ownerId, t.name, t.topic, t.anonymous, t.oneClick, t.expiresAt],
    );
    return rows.length === 1;
  }

  async get(ownerId: string, name: string): Promise<TagRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM tags WHERE owner_id = $1 AND name = $2`, [ownerId, name]);
    return r ? toTag(r) : undefined;
  }

  async list(ownerId: string): Promise<TagRow[]> {
    const rows = await this.sql.query(`SELECT * FROM tags WHERE owner_id = $1 ORDER BY created_at`, [
      ownerId,
    ]);
    return rows.map(toTag);
  }

  async delete(ownerId: string, name: string): Promise<boolean> {
    return (
      (
        await this.sql.query(`DELETE FROM tags WHERE owner_id = $1 AND name = $2 RETURNING 1`, [
          ownerId,
          name,
        ])
      ).length === 1
    );
  }

  /** Marks a tag expired once its time has come; true when this call changed it. */
  async expire(ownerId: string, name: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE tags SET expired = true WHERE owner_id = $1 AND name = $2 AND NOT expired AND expires_at <= now()
       RETURNING 1`,
      [ownerId, name],
    );
    return rows.length === 1;
  }
}

export class PresenceRepo {
  constructor(private readonly sql: Sql) {}

  async touch(userId: string, state: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO presence (user_id, state, last_active_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, last_active_at = now()`,
      [userId, state],
    );
  }

  async get(userId: string): Promise<{ state: string; lastActiveAt: Date } | undefined> {
    const [r] = await this.sql.query(`SELECT state, last_active_at FROM presence WHERE user_id = $1`, [
      userId,
    ]);
    return r ? { state: r.state, lastActiveAt: r.last_active_at } : undefined;
  }
}
