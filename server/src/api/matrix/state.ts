// GET /_matrix/client/v3/rooms/{roomId}/state
// GET|PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}
import { EventContent } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const stateAll = route({
  method: "get",
  path: ClientRoutes.roomState,
  scope: "client",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.reader.state(requester, params.roomId!),
});

export const stateGet = route({
  method: "get",
  path: ClientRoutes.roomStateEvent,
  scope: "client",
  auth: "user",
  handler: ({ requester, params }, ctx) =>
    ctx.reader.stateEvent(requester, params.roomId!, params.eventType!, params.stateKey ?? ""),
});

export const statePut = route({
  method: "put",
  path: ClientRoutes.roomStateEvent,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => ({
    event_id: await ctx.rooms.send(requester, {
      roomId: params.roomId!,
      type: params.eventType!,
      stateKey: params.stateKey ?? "",
      content: parse(EventContent, body),
    }),
  }),
});
