// GET|POST /_callsign/client/v1/customers/{customerId}/services, GET|PUT /services/{serviceId},
// PUT /services/{serviceId}/hours, PUT /services/{serviceId}/distribution, PUT /services/{serviceId}/routes, POST /services/{serviceId}/addresses,
// DELETE /services/{serviceId}/addresses/{address}
import { DistributionRequest } from "../../../../protocol/callsign/billing.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import {
  CreateServiceRequest,
  ServiceAddressRequest,
  RoutesRequest,
  ServiceHoursRequest,
  UpdateServiceRequest,
} from "../../../../protocol/callsign/services.js";
import { parse, route } from "../../http/route.js";

export const servicesOfCustomer = route({
  method: "get",
  path: CallsignRoutes.customerServices,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => ({
    services: await ctx.services.ofCustomer(requester, params.customerId!),
  }),
});

export const serviceCreate = route({
  method: "post",
  path: CallsignRoutes.customerServices,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.services.create(requester, params.customerId!, parse(CreateServiceRequest, body)),
});

export const serviceGet = route({
  method: "get",
  path: CallsignRoutes.service,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.services.view(requester, params.serviceId!),
});

export const serviceUpdate = route({
  method: "put",
  path: CallsignRoutes.service,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.services.update(requester, params.serviceId!, parse(UpdateServiceRequest, body)),
});

export const serviceAddressAdd = route({
  method: "post",
  path: CallsignRoutes.serviceAddresses,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.serviceSettings.addAddress(requester, params.serviceId!, parse(ServiceAddressRequest, body).address),
});

export const serviceAddressRemove = route({
  method: "delete",
  path: CallsignRoutes.serviceAddress,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.serviceSettings.removeAddress(requester, params.serviceId!, params.address!);
    return {};
  },
});

export const serviceHours = route({
  method: "put",
  path: CallsignRoutes.serviceHours,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.serviceSettings.setHours(requester, params.serviceId!, parse(ServiceHoursRequest, body).hours),
});

export const serviceDistribution = route({
  method: "put",
  path: CallsignRoutes.serviceDistribution,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.serviceSettings.setDistribution(requester, params.serviceId!, parse(DistributionRequest, body)),
});

export const serviceRoutes = route({
  method: "put",
  path: CallsignRoutes.serviceRoutes,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.serviceSettings.setRoutes(requester, params.serviceId!, parse(RoutesRequest, body).routes),
});
