// GET|POST /_callsign/client/v1/domains, POST /domains/{domain}/check, DELETE /domains/{domain}
import { ClaimDomainRequest } from "../../../../protocol/callsign/domains.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const domainsList = route({
  method: "get",
  path: CallsignRoutes.domains,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ domains: await ctx.domains.list(requester) }),
});

export const domainClaim = route({
  method: "post",
  path: CallsignRoutes.domains,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, body }, ctx) => ctx.domains.claim(requester, parse(ClaimDomainRequest, body).domain),
});

export const domainCheck = route({
  method: "post",
  path: CallsignRoutes.domainCheck,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) => ctx.domains.checkNow(requester, params.domain!),
});

export const domainWithdraw = route({
  method: "delete",
  path: CallsignRoutes.domain,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.domains.withdraw(requester, params.domain!);
    return {};
  },
});
