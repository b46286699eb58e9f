// POST /_matrix/client/v3/createRoom
import { CreateRoomRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const createRoom = route({
  method: "post",
  path: ClientRoutes.createRoom,
  scope: "client",
  auth: "account",
  handler: async ({ requester, body }, ctx) => ({
    room_id: await ctx.rooms.createRoom(requester, parse(CreateRoomRequest, body)),
  }),
});
