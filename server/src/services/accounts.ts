/**
 * Accounts: registration (users and guests), login by user name, e-mail or number, logout,
 * access tokens and profiles.
 *
 * Every registered account gets the next 9-digit number from a database sequence, which is
 * also its Matrix localpart (`@100000001:example.org`): numbers never change hands, while user
 * names may (the names rules). Guests get an opaque `guest-…` localpart and no number. Access
 * tokens are random 256-bit strings stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from "node:crypto";
import { ProtocolError, type ErrorCode } from "../../../protocol/errors.js";
import {
  AccountRules,
  AuthStage,
  IdentifierType,
  type LoginResponse,
} from "../../../protocol/matrix/auth.js";
import type { LoginRequest, RegisterRequest } from "../../../protocol/matrix/requests.js";
import type { Database } from "../storage/database.js";
import type { AccountRow } from "../storage/entities/index.js";
import { ServicesRepo } from "../storage/repositories/services.js";
import { AccountsRepo, DevicesRepo } from "../storage/repositories/accounts.js";
import { hashPassword, verifyPassword } from "./password.js";
import type { NameDeadlineJob, NameService } from "./names/name-service.js";
import type { Requester } from "./requester.js";
import type { UiaService } from "./uia.js";

export type { Requester } from "./requester.js";

export interface AccountsOptions {
  serverName: string;
  publicBaseUrl: string;
  passwordCost: number;
  guestCaptcha: boolean;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly uia: UiaService,
    private readonly opts: AccountsOptions,
  ) {}

  private dummy: Promise<string> | undefined;

  /** A hash at the configured cost, checked when an account is unknown (timing parity). */
  private dummyHash(): Promise<string> {
    return (this.dummy ??= hashPassword(randomBytes(16).toString("hex"), this.opts.passwordCost));
  }

  private get accounts() {
    return new AccountsRepo(this.db.dataSource.manager);
  }

  private get devices() {
    return new DevicesRepo(this.db.dataSource.manager);
  }

  userIdFor(localpart: string): string {
    return `@${localpart}:${this.opts.serverName}`;
  }

  private names: NameService | undefined;

  /** The name service that user names are reserved through (set once the context is built). */
  useNames(names: NameService): void {
    this.names = names;
  }

  /**
   * A user name chosen at registration is a reserved name like any other (spec/names.md): it
   * must be free to have. Name errors are answered in Matrix's words, which Matrix clients show.
   */
  private async checkUserName(input: string) {
    try {
      return await this.names!.checkFreeUserName(input);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      const matrix: Partial<Record<string, ErrorCode>> = {
        IO_CALLSIGN_INVALID_NAME: "M_INVALID_USERNAME",
        IO_CALLSIGN_NAME_TAKEN: "M_USER_IN_USE",
        IO_CALLSIGN_NAME_CONFUSABLE: "M_USER_IN_USE",
        IO_CALLSIGN_NAME_RESERVED: "M_EXCLUSIVE",
      };
      const code = matrix[err.errcode];
      throw code ? new ProtocolError(code, err.message, err.extra) : err;
    }
  }

  async register(body: RegisterRequest): Promise<LoginResponse | { user_id: string }> {
    const email = body.email?.trim().toLowerCase() || null;
    const wanted = body.username?.trim() ? await this.checkUserName(body.username) : undefined;
    const username = wanted?.name ?? null;
    if (!email) throw new ProtocolError("M_MISSING_PARAM", "An e-mail address is required (field `email`)");
    if (!AccountRules.emailPattern.test(email))
      throw new ProtocolError("M_INVALID_PARAM", "Invalid e-mail address");
    if (await this.accounts.byEmail(email))
      throw new ProtocolError("M_THREEPID_IN_USE", "E-mail is already registered");
    if (!body.password) throw new ProtocolError("M_MISSING_PARAM", "A password is required");
    if (body.password.length < AccountRules.passwordMinLength) {
      throw new ProtocolError(
        "M_WEAK_PASSWORD",
        `A password has at least ${AccountRules.passwordMinLength} characters`,
      );
    }

    await this.uia.require([[AuthStage.Dummy]], body.auth);

    const passwordHash = await hashPassword(body.password, this.opts.passwordCost);
    let deadline: NameDeadlineJob | undefined;
    const account = await this.db.transaction(async (tx) => {
      const repo = new AccountsRepo(tx.manager);
      const number = await repo.nextNumber();
      try {
        const created = await repo.insert(this.userIdFor(number), number, {
          kind: "user",
          username: null,
          email,
          passwordHash,
          displayName: username ?? number,
        });
        if (wanted) deadline = await this.names!.claimIn(tx, created.userId, wanted);
        // Operator invitations waiting for this address become this account's.
        await new ServicesRepo(tx).claimInvitations(email, created.userId);
        return created;
      } catch (err) {
        if ((err as { code?: string }).code === "23505") {
          throw new ProtocolError("M_USER_IN_USE", "User name or e-mail was taken a moment ago");
        }
        throw err;
      }
    });
    if (deadline) await this.names!.scheduleDeadline(deadline);
    if (body.inhibit_login) return { user_id: account.userId };
    return this.issueToken(account.userId, body.device_id, body.initial_device_display_name);
  }

  async registerGuest(body: RegisterRequest): Promise<LoginResponse> {
    if (this.opts.guestCaptcha) await this.uia.require([[AuthStage.Captcha]], body.auth);
    const localpart = `guest-${randomBytes(9)
      .toString("base64url")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`;
    const userId = this.userIdFor(localpart);
    await this.accounts.insert(userId, null, {
      kind: "guest",
      username: null,
      email: null,
      passwordHash: null,
      displayName: "Guest",
    });
    return this.issueToken(userId, body.device_id, body.initial_device_display_name);
  }

  /** Finds the account an identifier names: user name, MXID, number or e-mail. */
  async findByIdentifier(req: LoginRequest): Promise<AccountRow | null> {
    const id = req.identifier ?? (req.user ? { type: IdentifierType.User, user: req.user } : undefined);
    if (!id) throw new ProtocolError("M_MISSING_PARAM", "`identifier` is required");
    switch (id.type) {
      case IdentifierType.ThirdParty:
        return this.accounts.byEmail(id.address.trim().toLowerCase());
      case IdentifierType.Number:
        return this.accounts.byNumber(id.number);
      case IdentifierType.User: {
        const user = id.user.trim().toLowerCase();
        const mxid = /^@([^:]+):(.+)$/.exec(user);
        if (mxid) return mxid[2] === this.opts.serverName ? this.accounts.byUserId(user) : null;
        if (AccountRules.numberPattern.test(user)) return this.accounts.byNumber(user);
        if (AccountRules.emailPattern.test(user)) return this.accounts.byEmail(user);
        return this.accounts.byUsername(user);
      }
    }
  }

  async login(req: LoginRequest): Promise<LoginResponse> {
    if (req.type !== "m.login.password")
      throw new ProtocolError("M_UNKNOWN", `Unsupported login type ${req.type}`);
    if (!req.password) throw new ProtocolError("M_MISSING_PARAM", "`password` is required");
    const account = await this.findByIdentifier(req);
    // Verify against a dummy hash when the account is unknown, so timing does not reveal accounts.
    const ok = account?.passwordHash
      ? await verifyPassword(req.password, account.passwordHash)
      : (await verifyPassword(req.password, await this.dummyHash()), false);
    if (!account || !ok) throw new ProtocolError("M_FORBIDDEN", "Invalid identifier or password");
    if (account.deactivated) throw new ProtocolError("M_USER_DEACTIVATED", "This account is deactivated");
    return this.issueToken(account.userId, req.device_id, req.initial_device_display_name);
  }

  private async issueToken(userId: string, deviceId?: string, displayName?: string): Promise<LoginResponse> {
    const device = deviceId ?? randomBytes(6).toString("hex").toUpperCase();
    const token = `cs_${randomBytes(32).toString("base64url")}`;
    await this.db.transaction(async ({ manager }) => {
      const repo = new DevicesRepo(manager);
      await repo.upsertDevice(userId, device, displayName ?? null);
      await repo.insertToken(hashToken(token), userId, device);
    });
    return {
      user_id: userId,
      access_token: token,
      device_id: device,
      home_server: this.opts.serverName,
      well_known: { "m.homeserver": { base_url: this.opts.publicBaseUrl } },
    };
  }

  async authenticate(token: string): Promise<Requester> {
    const owner = await this.devices.ownerOfToken(hashToken(token));
    if (!owner) throw new ProtocolError("M_UNKNOWN_TOKEN", "Unknown access token", { soft_logout: false });
    if (owner.deactivated) throw new ProtocolError("M_USER_DEACTIVATED", "This account is deactivated");
    return { userId: owner.userId, deviceId: owner.deviceId, isGuest: owner.kind === "guest" };
  }

  logout(r: Requester): Promise<void> {
    return this.devices.deleteDevice(r.userId, r.deviceId);
  }

  logoutAll(r: Requester): Promise<void> {
    return this.devices.deleteAllDevices(r.userId);
  }

  /** Matrix's availability check: true when the name could be chosen at registration now. */
  async usernameAvailable(username: string): Promise<boolean> {
    await this.checkUserName(username);
    return true;
  }

  async profile(userId: string): Promise<{ displayname?: string; avatar_url?: string }> {
    const a = await this.accounts.byUserId(userId);
    if (!a) throw new ProtocolError("M_NOT_FOUND", "Profile not found");
    return {
      ...(a.displayName !== null && { displayname: a.displayName }),
      ...(a.avatarUrl !== null && { avatar_url: a.avatarUrl }),
    };
  }

  async setProfile(
    userId: string,
    patch: { displayName?: string | null; avatarUrl?: string | null },
  ): Promise<void> {
    await this.accounts.update(userId, patch);
  }

  deviceIds(userId: string): Promise<string[]> {
    return this.devices.deviceIds(userId);
  }

  listDevices(userId: string) {
    return this.devices.list(userId);
  }
}
