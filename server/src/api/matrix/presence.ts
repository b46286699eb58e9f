// GET|PUT /_matrix/client/v3/presence/{userId}/status
import { PresenceRequest } from "../../../../protocol/callsign/requests.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { PresenceRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const presenceGet = route({
  method: "get",
  path: PresenceRoutes.status,
  scope: "client",
  auth: "user",
  handler: async ({ params }, ctx) => {
    const p = await ctx.presence.get(params.userId!);
    return {
      presence: p.presence,
      ...(p.lastActiveAgo !== undefined && { last_active_ago: p.lastActiveAgo }),
      currently_active: p.online,
    };
  },
});

export const presencePut = route({
  method: "put",
  path: PresenceRoutes.status,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    if (params.userId !== requester.userId)
      throw new ProtocolError("M_FORBIDDEN", "You may only set your own presence");
    await ctx.presence.touch(requester.userId, parse(PresenceRequest, body).presence, Date.now(), true);
    return {};
  },
});
