/**
 * The provider's own identity, kept in the database so every homeserver process signs with the
 * same key: made on first use (two processes starting at once end up with one), its private key
 * encrypted with the server secret (AES-256-GCM), and rotated with an overlap during which the
 * old certificate is still published (spec/federation.md "Server identity").
 */
import { createPrivateKey } from "node:crypto";
import { Sealer } from "../../../server/src/crypto/sealer.js";
import type { Database, Sql } from "../../../server/src/storage/database.js";
import { ServerKeysRepo, type ServerKeyRow } from "../../../server/src/storage/repositories/server-keys.js";
import { createIdentity, keyIdOf, type ServerIdentity } from "./certificate.js";

/** How long a process signs with the key it read before reading the current one again. */
const CACHE_MS = 60_000;

export interface PublishedCertificate {
  certificate: string;
  fingerprint: string;
  not_after: number;
}

export class KeyStore {
  private readonly sealer: Sealer;
  private cached: { identity: ServerIdentity; until: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly serverName: string,
    secret: string,
    private readonly validDays = 365,
  ) {
    this.sealer = new Sealer(secret, "callsign server keys");
  }

  /**
   * The key this provider signs with now. Read again after a minute, so a rotation made by
   * another process is followed well inside the overlap.
   */
  async current(): Promise<ServerIdentity> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.identity;
    const repo = new ServerKeysRepo(this.db);
    let row = await repo.current(this.serverName);
    if (!row) {
      await this.store(await createIdentity(this.serverName, this.validDays));
      row = (await repo.current(this.serverName))!;
    }
    const identity = this.open(row);
    this.cached = { identity, until: Date.now() + CACHE_MS };
    return identity;
  }

  /** The certificates peers may verify with now: the current one and those in their overlap. */
  async published(now = new Date()): Promise<PublishedCertificate[]> {
    await this.current();
    return (await new ServerKeysRepo(this.db).published(this.serverName, now)).map((r) => ({
      certificate: r.certificatePem,
      fingerprint: r.fingerprint,
      not_after: r.notAfter.getTime(),
    }));
  }

  /** Makes a new current key; the old one stays published for `overlapMs`. */
  async rotate(overlapMs: number, now = new Date()): Promise<ServerIdentity> {
    const old = await this.current();
    const next = await createIdentity(this.serverName, this.validDays, now);
    await this.db.transaction(async (tx) => {
      await new ServerKeysRepo(tx).retire(old.fingerprint, new Date(now.getTime() + overlapMs));
      await this.store(next, tx);
    });
    this.cached = { identity: next, until: Date.now() + CACHE_MS };
    return next;
  }

  private async store(id: ServerIdentity, sql: Sql = this.db): Promise<boolean> {
    const pkcs8 = id.privateKey.export({ format: "der", type: "pkcs8" });
    return new ServerKeysRepo(sql).insertCurrent({
      fingerprint: id.fingerprint,
      serverName: id.serverName,
      certificatePem: id.certificatePem,
      privateKeyEnc: this.sealer.seal(pkcs8),
      notAfter: id.notAfter,
    });
  }

  private open(row: ServerKeyRow): ServerIdentity {
    const pkcs8 = this.sealer.open(row.privateKeyEnc);
    return {
      serverName: row.serverName,
      certificatePem: row.certificatePem,
      privateKey: createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }),
      fingerprint: row.fingerprint,
      keyId: keyIdOf(row.serverName, row.fingerprint),
      notBefore: row.createdAt,
      notAfter: row.notAfter,
    };
  }
}
