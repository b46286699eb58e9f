// GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const event = route({
  method: "get",
  path: ClientRoutes.roomEvent,
  scope: "client",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.reader.event(requester, params.roomId!, params.eventId!),
});
