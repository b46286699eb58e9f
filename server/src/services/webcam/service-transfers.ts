/**
 * Transferring a service — with its id, number, subscription and history — to another customer
 * (spec/services.md "Transferring a service"). The sending customer's owner offers it to a
 * person (by handle); that person accepts it into a customer they own, or declines; the sender
 * may cancel while it is open; an offer lapses after a week. Both sides confirm (the offer, the
 * acceptance), and the move happens in one transaction that also writes the name's audit event.
 * What was the old customer's stays behind: its operators, widgets, domain addresses and
 * routing rules.
 */
import { randomBytes } from "node:crypto";
import { CustomerRole } from "../../../../protocol/callsign/customers.js";
import {
  ServiceTransferState,
  type ServiceTransferStateValue,
  type ServiceTransferView,
} from "../../../../protocol/callsign/services.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database, Sql } from "../../storage/database.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { NamesRepo } from "../../storage/repositories/names.js";
import {
  ServiceTransfersRepo,
  type ServiceTransferRow,
} from "../../storage/repositories/service-transfers.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { HandleResolver } from "../calls/handles.js";
import type { CustomerService } from "../customers/customer-service.js";
import type { Requester } from "../requester.js";

/** How long an offer stays open. */
const OFFER_MS = 7 * 24 * 3600_000;

export class ServiceTransfers {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerService,
    private readonly handles: HandleResolver,
  ) {}

  async offer(r: Requester, serviceId: string, to: string, note?: string): Promise<ServiceTransferView> {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (!service || !(await this.customers.isMember(r.userId, service.customerId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    await this.requireOwner(r, service.customerId);
    const recipient = await this.handles.resolve(to);
    if (!recipient || recipient.kind !== "user") {
      throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `No account answers to ${to}`);
    }
    const offerId = `t_${randomBytes(9).toString("base64url")}`;
    try {
      await new ServiceTransfersRepo(this.db).insert({
        offerId,
        serviceId,
        fromCustomer: service.customerId,
        toUser: recipient.userId,
        note: note || null,
        offeredBy: r.userId,
        expiresAt: new Date(Date.now() + OFFER_MS),
      });
    } catch (err) {
      if ((err as { code?: string }).code === "23505") {
        throw new ProtocolError(
          "IO_CALLSIGN_BAD_TRANSITION",
          "The service is already on offer; cancel that first",
          {
            state: ServiceTransferState.Offered,
          },
        );
      }
      throw err;
    }
    return this.view(this.db, (await new ServiceTransfersRepo(this.db).get(offerId))!);
  }

  async mine(r: Requester): Promise<ServiceTransferView[]> {
    const rows = await new ServiceTransfersRepo(this.db).involving(r.userId);
    return Promise.all(rows.map((t) => this.view(this.db, t)));
  }

  /** The recipient takes the service into `customerId`, which they own. */
  async accept(r: Requester, offerId: string, customerId: string): Promise<ServiceTransferView> {
    await this.requireOwner(r, customerId);
    return this.db.transaction(async (tx) => {
      const t = await this.open(tx, offerId, async (row) => row.toUser === r.userId);
      if (t.fromCustomer === customerId)
        throw new ProtocolError("M_INVALID_PARAM", "The service is already there");
      const repo = new ServiceTransfersRepo(tx);
      await repo.decide(offerId, ServiceTransferState.Accepted, r.userId, customerId);
      await repo.moveService(t.serviceId, customerId);
      const service = (await new ServicesRepo(tx).get(t.serviceId))!;
      const [name] = await new NamesRepo(tx).ofHolder(service.accountId);
      if (name) {
        await new NamesRepo(tx).logEvent(
          name.name,
          name.state,
          name.state,
          r.userId,
          `service transferred from customer ${t.fromCustomer} to ${customerId} (offer ${offerId})`,
        );
      }
      return this.view(tx, (await repo.get(offerId))!);
    });
  }

  decline = (r: Requester, offerId: string) =>
    this.close(r, offerId, ServiceTransferState.Declined, async (t) => t.toUser === r.userId);

  /** The sending customer's owner withdraws an open offer. */
  cancel = (r: Requester, offerId: string) =>
    this.close(r, offerId, ServiceTransferState.Cancelled, (t) => this.isOwner(r, t.fromCustomer));

  private async close(
    r: Requester,
    offerId: string,
    state: ServiceTransferStateValue,
    mayDecide: (t: ServiceTransferRow) => Promise<boolean>,
  ): Promise<ServiceTransferView> {
    return this.db.transaction(async (tx) => {
      await this.open(tx, offerId, mayDecide);
      await new ServiceTransfersRepo(tx).decide(offerId, state, r.userId);
      return this.view(tx, (await new ServiceTransfersRepo(tx).get(offerId))!);
    });
  }

  /** The offer, locked, still open, and the requester's to decide; 404 to anybody else. */
  private async open(
    tx: Sql,
    offerId: string,
    mayDecide: (t: ServiceTransferRow) => Promise<boolean>,
  ): Promise<ServiceTransferRow> {
    const t = await new ServiceTransfersRepo(tx).get(offerId, true);
    if (!t || !(await mayDecide(t))) throw new ProtocolError("M_NOT_FOUND", "No such offer");
    if (t.state !== ServiceTransferState.Offered) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", `The offer is ${t.state}`, { state: t.state });
    }
    if (t.expiresAt.getTime() <= Date.now()) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", "The offer has expired", { state: "expired" });
    }
    return t;
  }

  private async isOwner(r: Requester, customerId: string): Promise<boolean> {
    return (await this.customers.roleOf(r, customerId).catch(() => undefined)) === CustomerRole.Owner;
  }

  private async requireOwner(r: Requester, customerId: string): Promise<void> {
    if ((await this.customers.roleOf(r, customerId)) !== CustomerRole.Owner) {
      throw new ProtocolError("M_FORBIDDEN", "Only the customer's owner transfers services");
    }
  }

  private async view(sql: Sql, t: ServiceTransferRow): Promise<ServiceTransferView> {
    const service = (await new ServicesRepo(sql).get(t.serviceId))!;
    const account = (await new AccountsRepo(this.db.dataSource.manager).byUserId(service.accountId))!;
    const ms = (d: Date | null) => (d ? d.getTime() : null);
    return {
      offer_id: t.offerId,
      service_id: t.serviceId,
      display_name: account.displayName ?? "",
      handle: account.username,
      from_customer: { customer_id: t.fromCustomer, name: await this.customers.nameOf(t.fromCustomer) },
      to_user: t.toUser,
      to_customer: t.toCustomer,
      state:
        t.state === ServiceTransferState.Offered && t.expiresAt.getTime() <= Date.now()
          ? ServiceTransferState.Expired
          : t.state,
      note: t.note,
      offered_by: t.offeredBy,
      offered_at: t.offeredAt.getTime(),
      expires_at: t.expiresAt.getTime(),
      decided_by: t.decidedBy,
      decided_at: ms(t.decidedAt),
    };
  }
}
