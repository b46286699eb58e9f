/**
 * Webcam services of customers (spec/services.md "Services"). A service is an account of kind
 * `service` — it has a number, a display name, a queue and an inbox like a person — created
 * together with the reservation of its service id in the names registry, in one transaction:
 * a free id is active at once and becomes the service's handle; a priced one (short, or a brand)
 * is held until a member of the customer's management team pays for it, and is released
 * unpaid like any name. The team runs the service; operators see the part that concerns them.
 *
 * Addresses: the holder of a verified domain (names.md "Domains") on the team may let
 * `local@domain` — or the bare domain — reach one of the customer's services.
 */
import { randomBytes } from "node:crypto";
import type { DistributionModeValue } from "../../../../protocol/callsign/billing.js";
import type {
  OperatedServiceView,
  OperatingHours,
  ServiceView,
  TransferTargetsView,
} from "../../../../protocol/callsign/services.js";
import { parseHandle } from "../../../../protocol/names/grammar.js";
import { HandleError } from "../../../../protocol/names/handle-error.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database } from "../../storage/database.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { CallsRepo, SmsRepo } from "../../storage/repositories/calls.js";
import { DomainClaimsRepo } from "../../storage/repositories/domains.js";
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
        status: o.userId ? ("active" as const) : ("invited" as const),
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
      routes: (await repo.routes(serviceId)).map((r) => ({ keywords: r.keywords, service_id: r.targetId })),
      hours: service.hours,
      open: isOpen(service.hours),
      addresses: await repo.addresses(serviceId),
      online_operators: online.size,
      operators,
      created_at: service.createdAt.getTime(),
    };
  }

  /** The services the requester operates, with their online switch and queue length. */
  async operated(r: Requester): Promise<OperatedServiceView[]> {
    const rows = await new ServicesRepo(this.db).operatedBy(r.userId);
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

  /** Sets how calls are handed out; the plan must allow the mode. */
  async setDistribution(
    r: Requester,
    serviceId: string,
    req: { mode: DistributionModeValue; offer_timeout_s: number },
  ): Promise<ServiceView> {
    const service = await this.managed(r, serviceId);
    const { plan } = (await this.desk.terms(this.db, service.accountId))!;
    if (!plan.modes.includes(req.mode)) {
      throw new ProtocolError(
        "IO_CALLSIGN_PLAN_LIMIT",
        `The ${plan.plan} plan does not include ${req.mode} distribution`,
      );
    }
    await new ServicesRepo(this.db).setDistribution(serviceId, req.mode, req.offer_timeout_s);
    return this.view(r, serviceId);
  }

  /** Replaces the routing rules; every target is another service of the same customer. */
  async setRoutes(
    r: Requester,
    serviceId: string,
    routes: { keywords: string[]; service_id: string }[],
  ): Promise<ServiceView> {
    const service = await this.managed(r, serviceId);
    const repo = new ServicesRepo(this.db);
    for (const route of routes) {
      const target = await repo.get(route.service_id);
      if (!target || target.customerId !== service.customerId || target.serviceId === serviceId) {
        throw new ProtocolError(
          "M_INVALID_PARAM",
          `${route.service_id} is not another service of this customer`,
        );
      }
    }
    await repo.setRoutes(
      serviceId,
      routes.map((x) => ({
        keywords: x.keywords.map((k) => k.normalize("NFKC").toLowerCase()),
        targetId: x.service_id,
      })),
    );
    return this.view(r, serviceId);
  }

  /** Sets the service's operating hours (null: always open). */
  async setHours(r: Requester, serviceId: string, hours: OperatingHours | null): Promise<ServiceView> {
    await this.managed(r, serviceId);
    await new ServicesRepo(this.db).setHours(serviceId, hours);
    return this.view(r, serviceId);
  }

  /** Lets `address` (`domain` or `local@domain` of a domain the requester verified) reach the service. */
  async addAddress(r: Requester, serviceId: string, address: string): Promise<ServiceView> {
    await this.managed(r, serviceId);
    const { domain, local } = await this.ownAddress(r, address);
    await new ServicesRepo(this.db).setAddress(domain, local, serviceId);
    return this.view(r, serviceId);
  }

  async removeAddress(r: Requester, serviceId: string, address: string): Promise<void> {
    await this.managed(r, serviceId);
    const { domain, local } = splitAddress(address);
    if (!(await new ServicesRepo(this.db).removeAddress(domain, local, serviceId))) {
      throw new ProtocolError("M_NOT_FOUND", `${address} is not an address of this service`);
    }
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

  private async ownAddress(r: Requester, address: string) {
    const { domain, local } = splitAddress(address);
    const claim = await new DomainClaimsRepo(this.db).holding(domain);
    if (!claim || claim.holderId !== r.userId) {
      throw new ProtocolError(
        "IO_CALLSIGN_NOT_VERIFIED_OWNER",
        `Verify ${domain} yourself first: only its verified holder gives out its addresses`,
      );
    }
    return { domain, local };
  }
}

/** `acme.com` → (acme.com, ''), `sales@acme.com` → (acme.com, 'sales'), by the handle grammar. */
function splitAddress(address: string): { domain: string; local: string } {
  try {
    const h = parseHandle(address);
    if (h.kind === "domain") return { domain: h.handle, local: "" };
    if (h.kind === "address") return { domain: h.domain, local: h.local };
  } catch (err) {
    if (!(err instanceof HandleError)) throw err;
  }
  throw new ProtocolError("M_INVALID_PARAM", `${address} is neither a domain nor local@domain`);
}
