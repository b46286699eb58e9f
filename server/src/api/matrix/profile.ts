// GET /_matrix/client/v3/profile/{userId}[/displayname|/avatar_url], PUT displayname / avatar_url
import { ProtocolError } from "../../../../protocol/errors.js";
import { AvatarUrlRequest, DisplayNameRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const profileGet = route({
  method: "get",
  path: ClientRoutes.profile,
  scope: "client",
  auth: "optional",
  handler: ({ params }, ctx) => ctx.accounts.profile(params.userId!),
});

export const displayNameGet = route({
  method: "get",
  path: ClientRoutes.profileDisplayName,
  scope: "client",
  auth: "optional",
  handler: async ({ params }, ctx) => {
    const { displayname } = await ctx.accounts.profile(params.userId!);
    if (displayname === undefined) throw new ProtocolError("M_NOT_FOUND", "No display name");
    return { displayname };
  },
});

export const avatarUrlGet = route({
  method: "get",
  path: ClientRoutes.profileAvatarUrl,
  scope: "client",
  auth: "optional",
  handler: async ({ params }, ctx) => {
    const { avatar_url } = await ctx.accounts.profile(params.userId!);
    if (avatar_url === undefined) throw new ProtocolError("M_NOT_FOUND", "No avatar");
    return { avatar_url };
  },
});

const own = (requesterId: string, userId: string | undefined) => {
  if (requesterId !== userId) throw new ProtocolError("M_FORBIDDEN", "You may only change your own profile");
};

export const displayNamePut = route({
  method: "put",
  path: ClientRoutes.profileDisplayName,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    own(requester.userId, params.userId);
    const { displayname } = parse(DisplayNameRequest, body);
    await ctx.accounts.setProfile(requester.userId, { displayName: displayname });
    await ctx.rooms.broadcastProfile(requester, await ctx.reader.joinedRooms(requester));
    return {};
  },
});

export const avatarUrlPut = route({
  method: "put",
  path: ClientRoutes.profileAvatarUrl,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    own(requester.userId, params.userId);
    const { avatar_url } = parse(AvatarUrlRequest, body);
    await ctx.accounts.setProfile(requester.userId, { avatarUrl: avatar_url });
    await ctx.rooms.broadcastProfile(requester, await ctx.reader.joinedRooms(requester));
    return {};
  },
});
