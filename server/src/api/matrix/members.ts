// GET /_matrix/client/v3/rooms/{roomId}/members and /joined_members
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export const members = route({
  method: "get",
  path: ClientRoutes.roomMembers,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, query }, ctx) => ({
    chunk: await ctx.reader.members(
      requester,
      params.roomId!,
      str(query.membership),
      str(query.not_membership),
    ),
  }),
});

export const joinedMembers = route({
  method: "get",
  path: ClientRoutes.roomJoinedMembers,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params }, ctx) => ({
    joined: await ctx.reader.joinedMembers(requester, params.roomId!),
  }),
});
