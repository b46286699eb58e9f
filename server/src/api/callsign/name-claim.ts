// POST /_callsign/client/v1/names/{name}/claim — a verified domain owner claims a held brand name.
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { route } from "../../http/route.js";

export const nameClaim = route({
  method: "post",
  path: CallsignRoutes.nameClaim,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) =>
    ctx.nameClaims.claim(requester, params.name!, (holderId, domain) => ctx.domains.holds(holderId, domain)),
});
