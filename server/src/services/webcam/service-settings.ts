/**
 * How a service is set up by its customer's management team (spec/services.md): its
 * distribution mode (which the plan must allow), its routing rules by topic, its operating
 * hours, and the addresses of the team's verified domains that reach it.
 */
import {
  DistributionMode,
  type DistributionModeValue,
  type SubscriptionView,
} from "../../../../protocol/callsign/billing.js";
import type { Plans } from "../billing/plans.js";
import type { SubscriptionService } from "../billing/subscriptions.js";
import type { OperatingHours, ServiceView } from "../../../../protocol/callsign/services.js";
import { parseHandle } from "../../../../protocol/names/grammar.js";
import { HandleError } from "../../../../protocol/names/handle-error.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database } from "../../storage/database.js";
import { DomainClaimsRepo } from "../../storage/repositories/domains.js";
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { Requester } from "../requester.js";
import type { ServiceDesk } from "./desk.js";
import type { ServiceRegistry } from "./service-registry.js";

export class ServiceSettings {
  constructor(
    private readonly db: Database,
    private readonly desk: ServiceDesk,
    private readonly registry: ServiceRegistry,
    private readonly subscriptions: SubscriptionService,
    private readonly plans: Plans,
  ) {}

  /** Switches the plan; a distribution mode the new plan lacks falls back to the shared queue. */
  async changePlan(r: Requester, serviceId: string, plan: string): Promise<SubscriptionView> {
    const service = await this.registry.managed(r, serviceId);
    const next = this.plans.view(plan);
    const view = await this.subscriptions.changePlan(serviceId, plan);
    if (!next.modes.includes(service.mode)) {
      await new ServiceRoutingRepo(this.db).setDistribution(
        serviceId,
        DistributionMode.Shared,
        service.offerTimeoutS,
      );
    }
    return view;
  }

  /** Sets how calls are handed out; the plan must allow the mode. */
  async setDistribution(
    r: Requester,
    serviceId: string,
    req: { mode: DistributionModeValue; offer_timeout_s: number },
  ): Promise<ServiceView> {
    const service = await this.registry.managed(r, serviceId);
    const { plan } = (await this.desk.terms(this.db, service.accountId))!;
    if (!plan.modes.includes(req.mode)) {
      throw new ProtocolError(
        "IO_CALLSIGN_PLAN_LIMIT",
        `The ${plan.plan} plan does not include ${req.mode} distribution`,
      );
    }
    await new ServiceRoutingRepo(this.db).setDistribution(serviceId, req.mode, req.offer_timeout_s);
    return this.registry.view(r, serviceId);
  }

  /** Replaces the routing rules; every target is another service of the same customer. */
  async setRoutes(
    r: Requester,
    serviceId: string,
    routes: { keywords: string[]; service_id: string }[],
  ): Promise<ServiceView> {
    const service = await this.registry.managed(r, serviceId);
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
    await new ServiceRoutingRepo(this.db).setRoutes(
      serviceId,
      routes.map((x) => ({
        keywords: x.keywords.map((k) => k.normalize("NFKC").toLowerCase()),
        targetId: x.service_id,
      })),
    );
    return this.registry.view(r, serviceId);
  }

  /** Sets the service's operating hours (null: always open). */
  async setHours(r: Requester, serviceId: string, hours: OperatingHours | null): Promise<ServiceView> {
    await this.registry.managed(r, serviceId);
    await new ServicesRepo(this.db).setHours(serviceId, hours);
    return this.registry.view(r, serviceId);
  }

  /** Lets `address` (`domain` or `local@domain` of a domain the requester verified) reach the service. */
  async addAddress(r: Requester, serviceId: string, address: string): Promise<ServiceView> {
    await this.registry.managed(r, serviceId);
    const { domain, local } = await this.ownAddress(r, address);
    await new ServiceRoutingRepo(this.db).setAddress(domain, local, serviceId);
    return this.registry.view(r, serviceId);
  }

  async removeAddress(r: Requester, serviceId: string, address: string): Promise<void> {
    await this.registry.managed(r, serviceId);
    const { domain, local } = splitAddress(address);
    if (!(await new ServiceRoutingRepo(this.db).removeAddress(domain, local, serviceId))) {
      throw new ProtocolError("M_NOT_FOUND", `${address} is not an address of this service`);
    }
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
