/**
 * The Callsign customers and Webcam services API (`/_callsign/client/v1`): customers and their
 * management teams, services with their operators, operating hours, domain addresses,
 * distribution and routing rules, the online switch and list of an operator, a service's inbox,
 * transferring a call, and transferring a whole service to another owner by offer and acceptance.
 * spec/services.md defines the semantics.
 */
import type { z } from "zod";
import type { CallView, InboxOptions, InboxView } from "../../../protocol/callsign/calls.js";
import type { CreateCustomerRequest, CustomerView } from "../../../protocol/callsign/customers.js";
import type { DistributionRequest } from "../../../protocol/callsign/billing.js";
import type { InboxOptionsRequest, MarkReadRequest } from "../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../protocol/callsign/routes.js";
import type {
  CreateServiceRequest,
  OfferServiceRequest,
  OperatedServiceView,
  OperatingHours,
  RoutesRequest,
  ServiceTransferView,
  ServiceView,
  TransferRequest,
  TransferTargetsView,
  UpdateServiceRequest,
} from "../../../protocol/callsign/services.js";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type CreateCustomer = z.input<typeof CreateCustomerRequest>;
export type CreateService = z.input<typeof CreateServiceRequest>;
export type UpdateService = z.input<typeof UpdateServiceRequest>;
export type Transfer = z.input<typeof TransferRequest>;
export type Distribution = z.input<typeof DistributionRequest>;
export type RoutingRule = z.input<typeof RoutesRequest>["routes"][number];
export type OfferService = z.input<typeof OfferServiceRequest>;

/**
 * A typed client of the customers and services API for one account. Every method rejects with a
 * `ProtocolError` carrying the server's `errcode`, message and extra fields: `M_NOT_FOUND` for a
 * customer or service outside the requester's reach, `IO_CALLSIGN_NAME_TAKEN` for a service id
 * someone holds, `IO_CALLSIGN_NOT_VERIFIED_OWNER` for an address of a domain not verified by the
 * requester, `M_BAD_JSON` for invalid operating hours, and so on.
 *
 * @example
 * const services = new ServicesApi("https://telco-a.example", accessToken);
 * const acme = await services.createCustomer({ name: "Acme" });
 * const desk = await services.createService(acme.customer_id, {
 *   service_id: "acmedesk",
 *   display_name: "Acme help desk",
 * });
 * await services.addOperator(desk.service_id, "ann@acme.example");
 * // Ann, signed in with her own token, takes the desk's calls:
 * await new ServicesApi("https://telco-a.example", annToken).setOnline(desk.service_id, true);
 */
export class ServicesApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the account's access token (guests have no customers or services)
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /** The customers whose management team the requester is on. */
  customers(): Promise<{ customers: CustomerView[] }> {
    return this.send("GET", routePath(CallsignRoutes.customers));
  }

  /** Creates a customer (`kind` defaults to `company`); the requester becomes its owner. */
  createCustomer(request: CreateCustomer): Promise<CustomerView> {
    return this.send("POST", routePath(CallsignRoutes.customers), request);
  }

  /** A customer and its team (404 `M_NOT_FOUND` to anybody off the team). */
  customer(customerId: string): Promise<CustomerView> {
    return this.send("GET", routePath(CallsignRoutes.customer, { customerId }));
  }

  /** The owner adds a manager by any handle of their account (e-mail, number or user name). */
  addManager(customerId: string, handle: string): Promise<CustomerView> {
    return this.send("POST", routePath(CallsignRoutes.customerTeam, { customerId }), { handle });
  }

  /** The owner removes a manager, or a manager leaves (the owner cannot be removed). */
  removeTeamMember(customerId: string, userId: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.customerTeamMember, { customerId, userId }));
  }

  /** The customer's services, as the team sees them. */
  services(customerId: string): Promise<{ services: ServiceView[] }> {
    return this.send("GET", routePath(CallsignRoutes.customerServices, { customerId }));
  }

  /**
   * Creates a service and reserves its service id by the names rules: a free id is active at
   * once and becomes its `handle`; a priced one is `held` until a team member pays it through
   * `NamesApi.pay()`.
   */
  createService(customerId: string, request: CreateService): Promise<ServiceView> {
    return this.send("POST", routePath(CallsignRoutes.customerServices, { customerId }), request);
  }

  /** A service, for its team (every operator) or one of its operators (themself only). */
  service(serviceId: string): Promise<ServiceView> {
    return this.send("GET", routePath(CallsignRoutes.service, { serviceId }));
  }

  /** Changes the display name or description callers see. */
  updateService(serviceId: string, request: UpdateService): Promise<ServiceView> {
    return this.send("PUT", routePath(CallsignRoutes.service, { serviceId }), request);
  }

  /** Adds an operator by e-mail: `active` when an account has the address, else `invited`. */
  addOperator(serviceId: string, email: string): Promise<ServiceView> {
    return this.send("POST", routePath(CallsignRoutes.serviceOperators, { serviceId }), { email });
  }

  /** The team removes an operator, or the operator leaves. */
  removeOperator(serviceId: string, email: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.serviceOperator, { serviceId, email }));
  }

  /** An active operator switches online or offline for the service; answers its updated entry. */
  setOnline(serviceId: string, online: boolean): Promise<OperatedServiceView> {
    return this.send("PUT", routePath(CallsignRoutes.serviceOnline, { serviceId }), { online });
  }

  /** The services the requester operates, with their online switch and queue length. */
  operating(): Promise<{ services: OperatedServiceView[] }> {
    return this.send("GET", routePath(CallsignRoutes.operating));
  }

  /** Sets the operating hours; `null` (the default) means always open while operators are online. */
  setHours(serviceId: string, hours: OperatingHours | null): Promise<ServiceView> {
    return this.send("PUT", routePath(CallsignRoutes.serviceHours, { serviceId }), { hours });
  }

  /** Lets `sales@acme.com` (or `acme.com`) of a domain the requester verified reach the service. */
  addAddress(serviceId: string, address: string): Promise<ServiceView> {
    return this.send("POST", routePath(CallsignRoutes.serviceAddresses, { serviceId }), { address });
  }

  removeAddress(serviceId: string, address: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.serviceAddress, { serviceId, address }));
  }

  /** The service's SMS and missed calls (its operators and team). */
  inbox(serviceId: string): Promise<InboxView> {
    return this.send("GET", routePath(CallsignRoutes.serviceInbox, { serviceId }));
  }

  markRead(serviceId: string, ids: z.input<typeof MarkReadRequest>): Promise<Record<string, never>> {
    return this.send("POST", routePath(CallsignRoutes.serviceInboxRead, { serviceId }), ids);
  }

  /** What the service's callers meet (the same options as a person's). */
  inboxOptions(serviceId: string): Promise<InboxOptions> {
    return this.send("GET", routePath(CallsignRoutes.serviceInboxOptions, { serviceId }));
  }

  /** The team changes the given options only; answers all of them. */
  setInboxOptions(serviceId: string, options: z.input<typeof InboxOptionsRequest>): Promise<InboxOptions> {
    return this.send("PUT", routePath(CallsignRoutes.serviceInboxOptions, { serviceId }), options);
  }

  /**
   * Moves a waiting or answered call of a service to another service of the same customer
   * (`service_id`) or to one of its operators (`user_id`), with an optional note. The call keeps
   * its ID and room and records a hop; the operator who had it leaves the room.
   */
  transfer(callId: string, request: Transfer): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.callTransfer, { callId }), request);
  }

  /** Where a call of the service may be transferred: the customer's other services and operators. */
  transferTargets(serviceId: string): Promise<TransferTargetsView> {
    return this.send("GET", routePath(CallsignRoutes.serviceTransferTargets, { serviceId }));
  }

  /**
   * How the service hands out its calls: `shared` (every online operator is rung) or `auto` (one
   * free operator at a time, moving on after `offer_timeout_s`, 5–600, default 20). `auto` on a
   * plan without it rejects with 403 `IO_CALLSIGN_PLAN_LIMIT`.
   */
  setDistribution(serviceId: string, request: Distribution): Promise<ServiceView> {
    return this.send("PUT", routePath(CallsignRoutes.serviceDistribution, { serviceId }), request);
  }

  /**
   * Replaces the routing rules, in order: a call whose topic has one of a rule's keywords (whole
   * words, any case) goes to that rule's service, another service of the same customer.
   */
  setRoutes(serviceId: string, routes: RoutingRule[]): Promise<ServiceView> {
    return this.send("PUT", routePath(CallsignRoutes.serviceRoutes, { serviceId }), { routes });
  }

  /**
   * The customer's owner offers the service (its id, number, subscription and history) to the
   * account a handle names; that person accepts it into a customer they own within 7 days.
   */
  offerService(serviceId: string, request: OfferService): Promise<ServiceTransferView> {
    return this.send("POST", routePath(CallsignRoutes.serviceTransfer, { serviceId }), request);
  }

  /** Offers made to the requester, and offers of the customers they are on the team of, newest first. */
  serviceTransfers(): Promise<{ offers: ServiceTransferView[] }> {
    return this.send("GET", routePath(CallsignRoutes.serviceTransfers));
  }

  /** The recipient takes the offered service into a customer they own. */
  acceptService(offerId: string, customerId: string): Promise<ServiceTransferView> {
    return this.send("POST", routePath(CallsignRoutes.serviceTransferAccept, { offerId }), {
      customer_id: customerId,
    });
  }

  /** The recipient refuses the offer. */
  declineService(offerId: string): Promise<ServiceTransferView> {
    return this.send("POST", routePath(CallsignRoutes.serviceTransferDecline, { offerId }), {});
  }

  /** The sending customer's owner withdraws an open offer. */
  cancelServiceOffer(offerId: string): Promise<ServiceTransferView> {
    return this.send("POST", routePath(CallsignRoutes.serviceTransferCancel, { offerId }), {});
  }
}
