/**
 * A service's SIP trunk to the company's own PBX (spec/services.md "Bridging to your PBX"), set
 * by its customer's management team. The password is sealed under the server secret as soon as
 * it arrives and never shown again; leaving it out of a change keeps the one kept (for the same
 * username), so a form can be saved without retyping it. A trunk that accepts calls registers
 * its line (`sip:<username>@<the PBX's domain>`) at the PBX; whoever keeps the lines registered
 * hears of every change (`onChange`).
 */
import type { SipTrunkRequest, SipTrunkView } from "../../../../protocol/callsign/sip.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Sealer } from "../../crypto/sealer.js";
import type { Database } from "../../storage/database.js";
import { SipTrunksRepo, type SipTrunkRow } from "../../storage/repositories/sip-trunks.js";
import type { Requester } from "../requester.js";
import type { ServiceRegistry } from "./service-registry.js";

/** What the bridge needs to place a call on the trunk, or to register its line. */
export interface TrunkAccount {
  uri: string;
  proxy?: string;
  username?: string;
  password?: string;
}

/** A trunk that takes calls from its PBX: its service and the line it registers. */
export interface TrunkLine extends TrunkAccount {
  serviceId: string;
  /** `sip:<username>@<the PBX's domain>`: the address registered, the From of our calls to the PBX. */
  line: string;
  username: string;
  password: string;
}

/** The host part of `sip:user@host;params`. */
const hostOf = (uri: string) => uri.slice(uri.indexOf("@") + 1).split(/[;?]/)[0]!;

/** Our address on the trunk's PBX: `sip:<username, else the service id>@<the PBX's domain>`. */
export const lineOf = (trunk: { uri: string; username?: string | null }, serviceId: string): string =>
  `sip:${trunk.username ?? serviceId}@${hostOf(trunk.uri)}`;

export class SipTrunks {
  /** Told after a trunk is set or removed through this process. */
  onChange: () => void = () => undefined;

  constructor(
    private readonly db: Database,
    private readonly registry: ServiceRegistry,
    private readonly sealer: Sealer,
  ) {}

  async get(r: Requester, serviceId: string): Promise<SipTrunkView> {
    await this.registry.managed(r, serviceId);
    const row = await new SipTrunksRepo(this.db).get(serviceId);
    if (!row) throw new ProtocolError("M_NOT_FOUND", "This service has no SIP trunk");
    return view(row);
  }

  async put(r: Requester, serviceId: string, req: SipTrunkRequest): Promise<SipTrunkView> {
    await this.registry.managed(r, serviceId);
    const repo = new SipTrunksRepo(this.db);
    const kept = await repo.get(serviceId);
    const username = req.username ?? null;
    const passwordSealed =
      req.password !== undefined
        ? this.sealer.seal(req.password)
        : kept && kept.username === username
          ? kept.passwordSealed
          : null;
    if (req.accept_calls && passwordSealed === null) {
      throw new ProtocolError(
        "M_INVALID_PARAM",
        "Taking calls from the PBX needs the trunk's password: it registers at the PBX",
      );
    }
    const saved = view(
      await repo.put({
        serviceId,
        uri: req.uri,
        proxy: req.proxy ?? null,
        username,
        passwordSealed,
        mode: req.mode,
        afterS: req.after_s ?? null,
        acceptCalls: req.accept_calls ?? false,
      }),
    );
    this.onChange();
    return saved;
  }

  async remove(r: Requester, serviceId: string): Promise<void> {
    await this.registry.managed(r, serviceId);
    if (!(await new SipTrunksRepo(this.db).remove(serviceId))) {
      throw new ProtocolError("M_NOT_FOUND", "This service has no SIP trunk");
    }
    this.onChange();
  }

  /** The trunks that take calls from their PBX, with their passwords opened, to register. */
  async lines(): Promise<TrunkLine[]> {
    const rows = await new SipTrunksRepo(this.db).accepting();
    return rows.flatMap((row) =>
      row.username !== null && row.passwordSealed !== null
        ? [
            {
              serviceId: row.serviceId,
              line: lineOf(row, row.serviceId),
              uri: row.uri,
              ...(row.proxy !== null && { proxy: row.proxy }),
              username: row.username,
              password: this.open(row.passwordSealed),
            },
          ]
        : [],
    );
  }

  /** The trunk of the service whose account is `accountId`, with its password opened, for the bridge. */
  async account(
    serviceId: string,
  ): Promise<(TrunkAccount & Pick<SipTrunkRow, "mode" | "afterS">) | undefined> {
    const row = await new SipTrunksRepo(this.db).get(serviceId);
    if (!row) return undefined;
    return {
      uri: row.uri,
      mode: row.mode,
      afterS: row.afterS,
      ...(row.proxy !== null && { proxy: row.proxy }),
      ...(row.username !== null && { username: row.username }),
      ...(row.passwordSealed !== null && { password: this.open(row.passwordSealed) }),
    };
  }

  private open(sealed: string): string {
    return this.sealer.open(sealed).toString("utf8");
  }
}

const view = (row: SipTrunkRow): SipTrunkView => ({
  service_id: row.serviceId,
  uri: row.uri,
  proxy: row.proxy,
  username: row.username,
  has_password: row.passwordSealed !== null,
  mode: row.mode,
  after_s: row.afterS,
  accept_calls: row.acceptCalls,
  line: row.username !== null ? lineOf(row, row.serviceId) : null,
  updated_at: row.updatedAt.getTime(),
});
