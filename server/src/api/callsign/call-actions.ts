// POST /_callsign/client/v1/calls/{callId}/{cancel,reply,decline,take,end,sms,transfer}
import type { CallView } from "../../../../protocol/callsign/calls.js";
import { DeclineRequest, ReplyRequest, SmsRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { TransferRequest } from "../../../../protocol/callsign/services.js";
import type { AppContext } from "../../context.js";
import { parse, route } from "../../http/route.js";
import type { Requester } from "../../services/accounts.js";

/** A change to one call by one of its parties; every answer is the call as it now stands. */
const action = (
  path: string,
  run: (ctx: AppContext, r: Requester, callId: string, body: unknown) => Promise<CallView>,
) =>
  route({
    method: "post",
    path,
    scope: "callsign",
    auth: "user",
    handler: ({ requester, params, body }, ctx) => run(ctx, requester, params.callId!, body),
  });

export const cancelCall = action(CallsignRoutes.callCancel, (ctx, r, id) => ctx.calls.cancel(r, id));
export const takeCall = action(CallsignRoutes.callTake, (ctx, r, id) => ctx.calls.take(r, id));
export const endCall = action(CallsignRoutes.callEnd, (ctx, r, id) => ctx.calls.end(r, id));
export const replyToCall = action(CallsignRoutes.callReply, (ctx, r, id, body) =>
  ctx.calls.reply(r, id, parse(ReplyRequest, body).text),
);
export const declineCall = action(CallsignRoutes.callDecline, (ctx, r, id, body) =>
  ctx.calls.decline(r, id, parse(DeclineRequest, body).reason),
);
export const leaveSms = action(CallsignRoutes.callSms, (ctx, r, id, body) =>
  ctx.calls.leaveSms(r, id, parse(SmsRequest, body)),
);
export const transferCall = action(CallsignRoutes.callTransfer, (ctx, r, id, body) =>
  ctx.transfers.transfer(r, id, parse(TransferRequest, body)),
);
