// GET /_callsign/client/v1/queue — the requester's waiting calls merged with those of the services
// they are online for, by arrival.
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { route } from "../../http/route.js";

export const queue = route({
  method: "get",
  path: CallsignRoutes.queue,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester }, ctx) => ({ calls: await ctx.calls.queue(requester) }),
});
