// POST /_callsign/client/v1/services/{serviceId}/operators, DELETE /services/{serviceId}/operators/{email},
// PUT /services/{serviceId}/online, GET /operating, GET /services/{serviceId}/transfer-targets
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { AddOperatorRequest, OperatorOnlineRequest } from "../../../../protocol/callsign/services.js";
import { parse, route } from "../../http/route.js";

export const operatorAdd = route({
  method: "post",
  path: CallsignRoutes.serviceOperators,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.operators.add(requester, params.serviceId!, parse(AddOperatorRequest, body).email),
});

export const operatorRemove = route({
  method: "delete",
  path: CallsignRoutes.serviceOperator,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.operators.remove(requester, params.serviceId!, params.email!);
    return {};
  },
});

export const operatorOnline = route({
  method: "put",
  path: CallsignRoutes.serviceOnline,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.operators.setOnline(requester, params.serviceId!, parse(OperatorOnlineRequest, body).online),
});

export const operating = route({
  method: "get",
  path: CallsignRoutes.operating,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ services: await ctx.services.operated(requester) }),
});

export const transferTargets = route({
  method: "get",
  path: CallsignRoutes.serviceTransferTargets,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.services.transferTargets(requester, params.serviceId!),
});
