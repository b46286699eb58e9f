// POST /_callsign/client/v1/calls/{callId}/{cancel,reply,decline,take,end,sms}
import { DeclineRequest, ReplyRequest, SmsRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const cancelCall = route({
  method: "post",
  path: CallsignRoutes.callCancel,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.calls.cancel(requester, params.callId!),
});

export const replyToCall = route({
  method: "post",
  path: CallsignRoutes.callReply,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params, body }, ctx) =>
    ctx.calls.reply(requester, params.callId!, parse(ReplyRequest, body).text),
});

export const declineCall = route({
  method: "post",
  path: CallsignRoutes.callDecline,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params, body }, ctx) =>
    ctx.calls.decline(requester, params.callId!, parse(DeclineRequest, body).reason),
});

export const takeCall = route({
  method: "post",
  path: CallsignRoutes.callTake,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.calls.take(requester, params.callId!),
});

export const endCall = route({
  method: "post",
  path: CallsignRoutes.callEnd,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.calls.end(requester, params.callId!),
});

export const leaveSms = route({
  method: "post",
  path: CallsignRoutes.callSms,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params, body }, ctx) =>
    ctx.calls.leaveSms(requester, params.callId!, parse(SmsRequest, body).text),
});
