/** Accounts, devices and access tokens (typeorm repositories over the entities). */
import { In, type EntityManager } from "typeorm";
import { AccessTokenEntity, AccountEntity, DeviceEntity, type AccountRow } from "../entities/index.js";

export interface NewAccount {
  kind: AccountRow["kind"];
  username: string | null;
  email: string | null;
  passwordHash: string | null;
  displayName: string | null;
}

export interface RemoteParty {
  userId: string;
  kind: AccountRow["kind"];
  displayName: string | null;
  provider: string;
  /** How the party is dialled from here; null for guests, who cannot be called. */
  handle: string | null;
}

export class AccountsRepo {
  constructor(private readonly manager: EntityManager) {}

  /** Allocates the next 9-digit number; the sequence makes concurrent registrations distinct. */
  async nextNumber(): Promise<string> {
    const [row] = await this.manager.query(`SELECT nextval('account_numbers')::text AS n`);
    return row.n as string;
  }

  async insert(userId: string, number: string | null, a: NewAccount): Promise<AccountRow> {
    const row = this.manager.create(AccountEntity, { userId, number, ...a, deactivated: false });
    return this.manager.save(AccountEntity, row);
  }

  byUserId(userId: string) {
    return this.manager.findOneBy(AccountEntity, { userId });
  }
  /** The accounts of `userIds` that exist, in one query. */
  byUserIds(userIds: string[]) {
    return this.manager.findBy(AccountEntity, { userId: In(userIds) });
  }
  byUsername(username: string) {
    return this.manager.findOneBy(AccountEntity, { username });
  }
  byEmail(email: string) {
    return this.manager.findOneBy(AccountEntity, { email });
  }
  byNumber(number: string) {
    return this.manager.findOneBy(AccountEntity, { number });
  }

  /**
   * Records (or refreshes the name of) another provider's party: a row that calls, rooms and
   * inboxes can point at, which nobody can log in as.
   */
  async upsertRemote(p: RemoteParty): Promise<AccountRow> {
    await this.manager.query(
      `INSERT INTO accounts (user_id, kind, display_name, provider, remote_handle)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name,
         remote_handle = EXCLUDED.remote_handle
       WHERE accounts.provider IS NOT NULL`,
      [p.userId, p.kind, p.displayName, p.provider, p.handle],
    );
    return (await this.byUserId(p.userId))!;
  }

  async update(userId: string, patch: Partial<Pick<AccountRow, "displayName" | "avatarUrl">>): Promise<void> {
    await this.manager.update(AccountEntity, { userId }, patch);
  }
}

export interface TokenOwner {
  userId: string;
  deviceId: string;
  kind: "user" | "guest";
  deactivated: boolean;
}

export class DevicesRepo {
  constructor(private readonly manager: EntityManager) {}

  async upsertDevice(userId: string, deviceId: string, displayName: string | null): Promise<void> {
    await this.manager.query(
      `INSERT INTO devices (user_id, device_id, display_name, last_seen_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (user_id, device_id) DO UPDATE SET last_seen_at = now(),
         display_name = COALESCE(EXCLUDED.display_name, devices.display_name)`,
      [userId, deviceId, displayName],
    );
  }

  async insertToken(tokenHash: string, userId: string, deviceId: string): Promise<void> {
    await this.manager.insert(AccessTokenEntity, { tokenHash, userId, deviceId });
  }

  async ownerOfToken(tokenHash: string): Promise<TokenOwner | undefined> {
    const [row] = await this.manager.query(
      `SELECT t.user_id, t.device_id, a.kind, a.deactivated FROM access_tokens t
       JOIN accounts a ON a.user_id = t.user_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return row
      ? { userId: row.user_id, deviceId: row.device_id, kind: row.kind, deactivated: row.deactivated }
      : undefined;
  }

  /** Logging out deletes the device, its tokens (cascade) and its pending to-device messages. */
  async deleteDevice(userId: string, deviceId: string): Promise<void> {
    await this.manager.delete(DeviceEntity, { userId, deviceId });
    await this.manager.query(`DELETE FROM to_device WHERE user_id = $1 AND device_id = $2`, [
      userId,
      deviceId,
    ]);
  }

  async deleteAllDevices(userId: string): Promise<void> {
    await this.manager.delete(DeviceEntity, { userId });
    await this.manager.query(`DELETE FROM to_device WHERE user_id = $1`, [userId]);
  }

  list(userId: string) {
    return this.manager.findBy(DeviceEntity, { userId });
  }

  deviceIds(userId: string): Promise<string[]> {
    return this.manager
      .query(`SELECT device_id FROM devices WHERE user_id = $1`, [userId])
      .then((rows: { device_id: string }[]) => rows.map((r) => r.device_id));
  }
}
