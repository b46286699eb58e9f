// GET, PUT, DELETE /_callsign/client/v1/services/{serviceId}/sip-trunk (spec/services.md)
import { SipRoutes, SipTrunkRequest } from "../../../../protocol/callsign/sip.js";
import { parse, route } from "../../http/route.js";

export const getSipTrunk = route({
  method: "get",
  path: SipRoutes.trunk,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.sipTrunks.get(requester, params.serviceId!),
});

export const putSipTrunk = route({
  method: "put",
  path: SipRoutes.trunk,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.sipTrunks.put(requester, params.serviceId!, parse(SipTrunkRequest, body)),
});

export const deleteSipTrunk = route({
  method: "delete",
  path: SipRoutes.trunk,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.sipTrunks.remove(requester, params.serviceId!);
    return {};
  },
});
