// POST /_matrix/client/v3/login
import { LoginRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const login = route({
  method: "post",
  path: ClientRoutes.login,
  scope: "client",
  auth: "none",
  limit: "auth",
  handler: ({ body }, ctx) => ctx.accounts.login(parse(LoginRequest, body)),
});
