// POST /_matrix/client/v3/join/{roomIdOrAlias}, /rooms/{roomId}/{join,leave,invite,kick,ban,unban,forget}
import { ProtocolError } from "../../../../protocol/errors.js";
import { Membership } from "../../../../protocol/matrix/event-types.js";
import { MembershipRequest, ReasonRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

const reasonOf = (r?: string) => (r ? { reason: r } : {});

/** A change of one's own membership; the room comes from the path parameter `param`. */
const own = (path: string, param: string, membership: string) =>
  route({
    method: "post",
    path,
    scope: "client",
    auth: "user",
    handler: async ({ requester, params, body }, ctx) => {
      const { reason } = parse(ReasonRequest, body);
      const roomId = params[param]!;
      if (!roomId.startsWith("!")) {
        throw new ProtocolError("M_NOT_FOUND", "Room aliases are not supported; use a room ID");
      }
      await ctx.rooms.setMembership(requester, roomId, requester.userId, { membership, ...reasonOf(reason) });
      return membership === Membership.Join ? { room_id: roomId } : {};
    },
  });

export const joinByIdOrAlias = own(ClientRoutes.joinByIdOrAlias, "roomIdOrAlias", Membership.Join);
export const roomJoin = own(ClientRoutes.roomJoin, "roomId", Membership.Join);
export const roomLeave = own(ClientRoutes.roomLeave, "roomId", Membership.Leave);

/** Forgetting hides a left room from the user's syncs and history; the others keep it. */
export const roomForget = route({
  method: "post",
  path: ClientRoutes.roomForget,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params }, ctx) => {
    await ctx.reader.forget(requester, params.roomId!);
    return {};
  },
});

const targeted = (path: string, membership: string) =>
  route({
    method: "post",
    path,
    scope: "client",
    auth: "user",
    handler: async ({ requester, params, body }, ctx) => {
      const { user_id, reason } = parse(MembershipRequest, body);
      await ctx.rooms.setMembership(requester, params.roomId!, user_id, { membership, ...reasonOf(reason) });
      return {};
    },
  });

export const roomInvite = targeted(ClientRoutes.roomInvite, Membership.Invite);
export const roomKick = targeted(ClientRoutes.roomKick, Membership.Leave);
export const roomBan = targeted(ClientRoutes.roomBan, Membership.Ban);
export const roomUnban = targeted(ClientRoutes.roomUnban, Membership.Leave);
