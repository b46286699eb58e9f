// GET|POST /_callsign/client/v1/customers, GET /customers/{customerId},
// POST /customers/{customerId}/team, DELETE /customers/{customerId}/team/{userId}
import { AddManagerRequest, CreateCustomerRequest } from "../../../../protocol/callsign/customers.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const customersMine = route({
  method: "get",
  path: CallsignRoutes.customers,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ customers: await ctx.customers.mine(requester) }),
});

export const customerCreate = route({
  method: "post",
  path: CallsignRoutes.customers,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, body }, ctx) => {
    const req = parse(CreateCustomerRequest, body);
    return ctx.customers.create(requester, req.name, req.kind);
  },
});

export const customerGet = route({
  method: "get",
  path: CallsignRoutes.customer,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.customers.view(requester, params.customerId!),
});

export const customerAddManager = route({
  method: "post",
  path: CallsignRoutes.customerTeam,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.customers.addManager(requester, params.customerId!, parse(AddManagerRequest, body).handle),
});

export const customerRemoveMember = route({
  method: "delete",
  path: CallsignRoutes.customerTeamMember,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.customers.removeMember(requester, params.customerId!, params.userId!);
    return {};
  },
});
