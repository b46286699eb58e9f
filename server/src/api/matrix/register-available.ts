// GET /_matrix/client/v3/register/available?username=
import { ProtocolError } from "../../../../protocol/errors.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const registerAvailable = route({
  method: "get",
  path: ClientRoutes.registerAvailable,
  scope: "client",
  auth: "none",
  limit: "auth",
  handler: async ({ query }, ctx) => {
    if (typeof query.username !== "string")
      throw new ProtocolError("M_MISSING_PARAM", "username is required");
    return { available: await ctx.accounts.usernameAvailable(query.username) };
  },
});
