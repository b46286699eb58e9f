// POST /_callsign/client/v1/sms/{smsId}/reply, /sms/{smsId}/call-back, /calls/{callId}/call-back
import { CallBackRequest, SmsRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const smsReply = route({
  method: "post",
  path: CallsignRoutes.smsReply,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.inbox.replyToSms(requester, params.smsId!, parse(SmsRequest, body).text),
});

export const smsCallBack = route({
  method: "post",
  path: CallsignRoutes.smsCallBack,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body, ip }, ctx) =>
    ctx.inbox.callBackSms(requester, params.smsId!, parse(CallBackRequest, body).topic, ip),
});

export const callCallBack = route({
  method: "post",
  path: CallsignRoutes.callCallBack,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body, ip }, ctx) =>
    ctx.inbox.callBackCall(requester, params.callId!, parse(CallBackRequest, body).topic, ip),
});
