// PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}
import { EventContent } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const send = route({
  method: "put",
  path: ClientRoutes.roomSend,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => ({
    event_id: await ctx.rooms.send(requester, {
      roomId: params.roomId!,
      type: params.eventType!,
      stateKey: null,
      content: parse(EventContent, body),
      txnId: params.txnId!,
    }),
  }),
});
