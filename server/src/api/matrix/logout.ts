// POST /_matrix/client/v3/logout and /logout/all
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const logout = route({
  method: "post",
  path: ClientRoutes.logout,
  scope: "client",
  auth: "user",
  handler: async ({ requester }, ctx) => {
    await ctx.accounts.logout(requester);
    return {};
  },
});

export const logoutAll = route({
  method: "post",
  path: ClientRoutes.logoutAll,
  scope: "client",
  auth: "user",
  handler: async ({ requester }, ctx) => {
    await ctx.accounts.logoutAll(requester);
    return {};
  },
});
