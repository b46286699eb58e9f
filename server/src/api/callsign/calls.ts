// POST /_callsign/client/v1/calls, GET /_callsign/client/v1/calls/{callId}
import { PlaceCallRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const placeCall = route({
  method: "post",
  path: CallsignRoutes.calls,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, body, ip }, ctx) => ctx.calls.place(requester, parse(PlaceCallRequest, body), ip),
});

export const getCall = route({
  method: "get",
  path: CallsignRoutes.call,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.calls.get(requester, params.callId!),
});
