// PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}
import { TypingRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const typing = route({
  method: "put",
  path: ClientRoutes.roomTyping,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    const req = parse(TypingRequest, body);
    await ctx.typing.set(requester, params.roomId!, params.userId!, req.typing, req.timeout);
    return {};
  },
});
