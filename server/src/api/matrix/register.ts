// POST /_matrix/client/v3/register[?kind=guest|user]
import { ProtocolError } from "../../../../protocol/errors.js";
import { RegisterRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const register = route({
  method: "post",
  path: ClientRoutes.register,
  scope: "client",
  auth: "none",
  limit: "auth",
  handler: async ({ body, query }, ctx) => {
    const req = parse(RegisterRequest, body);
    const kind = query.kind ?? "user";
    if (kind === "guest") return ctx.accounts.registerGuest(req);
    if (kind !== "user") throw new ProtocolError("M_INVALID_PARAM", "kind must be 'user' or 'guest'");
    return ctx.accounts.register(req);
  },
});
