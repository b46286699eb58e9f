// GET /_callsign/client/v1/names (mine), POST /names (reserve), GET /names/{name} (quote),
// POST /names/{name}/pay (first term or renewal), DELETE /names/{name} (give up)
import { PayNameRequest, ReserveNameRequest } from "../../../../protocol/callsign/names.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const namesMine = route({
  method: "get",
  path: CallsignRoutes.names,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ names: await ctx.names.mine(requester) }),
});

export const nameQuote = route({
  method: "get",
  path: CallsignRoutes.name,
  scope: "callsign",
  auth: "optional",
  handler: async ({ requester, params }, ctx) => {
    const { skeleton: _skeleton, ...quote } = await ctx.names.quote(params.name!, requester);
    return quote;
  },
});

export const nameReserve = route({
  method: "post",
  path: CallsignRoutes.names,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, body }, ctx) => {
    const req = parse(ReserveNameRequest, body);
    return ctx.names.reserve(requester, req.name, req.kind);
  },
});

/** Paying the first term of a held name and renewing are one operation (spec/names.md). */
const pay = (path: string) =>
  route({
    method: "post",
    path,
    scope: "callsign",
    auth: "account",
    handler: ({ requester, params, body }, ctx) =>
      ctx.names.pay(requester, params.name!, parse(PayNameRequest, body).source),
  });

export const namePay = pay(CallsignRoutes.namePay);
export const nameRenew = pay(CallsignRoutes.nameRenew);

export const nameRelease = route({
  method: "delete",
  path: CallsignRoutes.name,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.names.release(requester, params.name!);
    return {};
  },
});
