// GET /_callsign/client/v1/queue — the callee's waiting calls, first in first out.
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { route } from "../../http/route.js";

export const queue = route({
  method: "get",
  path: CallsignRoutes.queue,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester }, ctx) => ({ calls: await ctx.calls.queue(requester) }),
});
