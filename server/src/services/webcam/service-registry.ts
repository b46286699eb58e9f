/**
 * Webcam services of customers (spec/services.md "Services"). A service is an account of kind
 * `service` — it has a number, a display name, a queue and an inbox like a person — created
 * together with the reservation of its service id in the names registry, in one transaction:
 * a free id is active at once and becomes the service's handle; a priced one (short, or a brand)
 * is held until a member of the customer's management team pays for it, and is released
 * unpaid like any name. The team runs the service; operators see the part that concerns them.
 * How it is set up (distribution, routing, hours, addresses) is in service-settings.ts.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import { randomBytes } from "node:crypto";
import {
  OperatorStatus,
  type OperatedServiceView,
  type ServiceView,
  type TransferTargetsView,
} from "../../../../protocol/callsign/services.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database } from "../../storage/database.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { CallsRepo, SmsRepo } from "../../storage/repositories/calls.js";
import { NamesRepo } from "../../storage/repositories/names.js";
import { ServicesRepo, type ServiceRow } from "../../storage/repositories/services.js";
import type { CustomerService } from "../customers/customer-service.js";
import type { NameService } from "../names/name-service.js";
import type { Requester } from "../requester.js";
import type { Deadline, SubscriptionService } from "../billing/subscriptions.js";
import type { ServiceDesk } from "./desk.js";
import { isOpen } from "./hours.js";

export class ServiceRegistry {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerService,
    private readonly names: NameService,
    private readonly desk: ServiceDesk,
    private readonly subscriptions: SubscriptionService,
    private readonly serverName: string,
  ) {}

  /** For the names registry: the team of a service's customer acts for the service's names. */
  actsFor = async (userId: string, holderId: string): Promise<boolean> => {
    if (userId === holderId) return true;
    const service = await new ServicesRepo(this.db).byAccount(holderId);
    return !!service && (await this.customers.isMember(userId, service.customerId));
  };

  async create(
    r: Requester,
    customerId: string,
    req: { service_id: string; display_name: string; description?: string },
  ): Promise<ServiceView> {
    await this.customers.roleOf(r, customerId);
    const serviceId = `s_${randomBytes(9).toString("base64url")}`;
    const accounts = new AccountsRepo(this.db.dataSource.manager);
    const number = await accounts.nextNumber();
    const accountId = `@${number}:${this.serverName}`;
    let trial: Deadline;
    await this.names.reserve(r, req.service_id, "service", {
      holderId: accountId,
      prepare: async (tx) => {
        await new AccountsRepo(tx.manager).insert(accountId, number, {
          kind: "service",
          username: null,
          email: null,
          passwordHash: null,
          displayName: req.display_name,
        });
        await new ServicesRepo(tx).insert(
          { serviceId, customerId, accountId, description: req.description ?? "" },
          r.userId,
        );
        trial = await this.subscriptions.startTrialIn(tx, serviceId);
      },
    });
    await this.subscriptions.schedule(trial);
    return this.view(r, serviceId);
  }

  async ofCustomer(r: Requester, customerId: string): Promise<ServiceView[]> {
    await this.customers.roleOf(r, customerId);
    const rows = await new ServicesRepo(this.db).ofCustomer(customerId);
    return Promise.all(rows.map((s) => this.view(r, s.serviceId)));
  }

  async update(
    r: Requester,
    serviceId: string,
    req: { display_name?: string; description?: string },
  ): Promise<ServiceView> {
    const service = await this.managed(r, serviceId);
    if (req.description !== undefined)
      await new ServicesRepo(this.db).setDescription(serviceId, req.description);
    if (req.display_name !== undefined) {
      await new AccountsRepo(this.db.dataSource.manager).update(service.accountId, {
        displayName: req.display_name,
      });
    }
    return this.view(r, serviceId);
  }

  /** The service as the team sees it (every operator), or as one of its operators (themself only). */
  async view(r: Requester, serviceId: string): Promise<ServiceView> {
    const repo = new ServicesRepo(this.db);
    const service = await repo.get(serviceId);
    if (!service) throw new ProtocolError("M_NOT_FOUND", "No such service");
    const team = await this.customers.isMember(r.userId, service.customerId);
    if (!team && !(await repo.operator(serviceId, r.userId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    const account = (await new AccountsRepo(this.db.dataSource.manager).byUserId(service.accountId))!;
    const online = new Set(await this.desk.onlineOperators(this.db, service.accountId));
    const operators = (await repo.operators(serviceId))
      .filter((o) => team || o.userId === r.userId)
      .map((o) => ({
        email: o.email,
        user_id: o.userId,
        display_name: o.displayName,
        status: o.userId ? OperatorStatus.Active : OperatorStatus.Invited,
        online: !!o.userId && online.has(o.userId),
      }));
    const [nameRow] = await new NamesRepo(this.db).ofHolder(service.accountId);
    return {
      service_id: service.serviceId,
      customer_id: service.customerId,
      user_id: service.accountId,
      number: account.number!,
      handle: account.username,
      display_name: account.displayName ?? "",
      description: service.description,
      name: team && nameRow ? await this.names.view(r, nameRow.name) : null,
      distribution: { mode: service.mode, offer_timeout_s: service.offerTimeoutS },
      routes: (await new ServiceRoutingRepo(this.db).routes(serviceId)).map((r) => ({
        keywords: r.keywords,
        service_id: r.targetId,
      })),
      hours: service.hours,
      open: isOpen(service.hours),
      addresses: await new ServiceRoutingRepo(this.db).addresses(serviceId),
      online_operators: online.size,
      operators,
      created_at: service.createdAt.getTime(),
    };
  }

  /** The services the requester operates (or just `only`), with their online switch, queue and inbox counts. */
  async operated(r: Requester, only?: string): Promise<OperatedServiceView[]> {
    const rows = (await new ServicesRepo(this.db).operatedBy(r.userId)).filter(
      (s) => only === undefined || s.serviceId === only,
    );
    const accounts = new AccountsRepo(this.db.dataSource.manager);
    return Promise.all(
      rows.map(async (s) => {
        const account = (await accounts.byUserId(s.accountId))!;
        const online = await this.desk.onlineOperators(this.db, s.accountId);
        const calls = new CallsRepo(this.db);
        return {
          service_id: s.serviceId,
          customer_id: s.customerId,
          user_id: s.accountId,
          handle: account.username,
          number: account.number!,
          display_name: account.displayName ?? "",
          online: s.online,
          online_operators: online.length,
          queued: (await calls.queueOf(s.accountId)).length,
          unread: {
            sms: await new SmsRepo(this.db).unread(s.accountId),
            missed: await calls.unreadMissed(s.accountId),
          },
        };
      }),
    );
  }

  /**
   * Where the requester — an operator of the service or on its team — may transfer its calls:
   * the customer's other services and the operators of its services (active ones).
   */
  async transferTargets(r: Requester, serviceId: string): Promise<TransferTargetsView> {
    const repo = new ServicesRepo(this.db);
    const service = await repo.get(serviceId);
    if (!service || !(await this.desk.actsFor(this.db, r.userId, service.accountId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    const accounts = new AccountsRepo(this.db.dataSource.manager);
    const services: TransferTargetsView["services"] = [];
    const operators = new Map<string, string | null>();
    for (const s of await repo.ofCustomer(service.customerId)) {
      for (const o of await repo.operators(s.serviceId)) if (o.userId) operators.set(o.userId, o.displayName);
      if (s.serviceId === serviceId) continue;
      const account = (await accounts.byUserId(s.accountId))!;
      services.push({
        service_id: s.serviceId,
        user_id: s.accountId,
        display_name: account.displayName ?? "",
        handle: account.username,
        online: await this.desk.isOnline(this.db, account),
      });
    }
    return {
      services,
      operators: [...operators].map(([user_id, display_name]) => ({ user_id, display_name })),
    };
  }

  /** The service's account, whose inbox the requester (an operator or the team) handles; 404 otherwise. */
  async inboxOf(r: Requester, serviceId: string): Promise<string> {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (!service || !(await this.desk.actsFor(this.db, r.userId, service.accountId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    return service.accountId;
  }

  /** The service, if the requester is on its customer's management team (404 otherwise). */
  async managed(r: Requester, serviceId: string): Promise<ServiceRow> {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (!service || !(await this.customers.isMember(r.userId, service.customerId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    return service;
  }
}
