// GET /_matrix/client/v3/joined_rooms
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const joinedRooms = route({
  method: "get",
  path: ClientRoutes.joinedRooms,
  scope: "client",
  auth: "user",
  handler: async ({ requester }, ctx) => ({ joined_rooms: await ctx.reader.joinedRooms(requester) }),
});
