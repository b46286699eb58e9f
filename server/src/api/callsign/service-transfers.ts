// POST /_callsign/client/v1/services/{serviceId}/transfer, GET /service-transfers,
// POST /service-transfers/{offerId}/{accept,decline,cancel}
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { AcceptServiceRequest, OfferServiceRequest } from "../../../../protocol/callsign/services.js";
import { parse, route } from "../../http/route.js";

export const serviceTransferOffer = route({
  method: "post",
  path: CallsignRoutes.serviceTransfer,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) => {
    const req = parse(OfferServiceRequest, body);
    return ctx.serviceTransfers.offer(requester, params.serviceId!, req.to, req.note);
  },
});

export const serviceTransfersMine = route({
  method: "get",
  path: CallsignRoutes.serviceTransfers,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ offers: await ctx.serviceTransfers.mine(requester) }),
});

export const serviceTransferAccept = route({
  method: "post",
  path: CallsignRoutes.serviceTransferAccept,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.serviceTransfers.accept(requester, params.offerId!, parse(AcceptServiceRequest, body).customer_id),
});

export const serviceTransferDecline = route({
  method: "post",
  path: CallsignRoutes.serviceTransferDecline,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.serviceTransfers.decline(requester, params.offerId!),
});

export const serviceTransferCancel = route({
  method: "post",
  path: CallsignRoutes.serviceTransferCancel,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.serviceTransfers.cancel(requester, params.offerId!),
});
