// GET /_matrix/client/v3/login
import { LoginType } from "../../../../protocol/matrix/auth.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const loginFlows = route({
  method: "get",
  path: ClientRoutes.login,
  scope: "client",
  auth: "none",
  handler: () => ({ flows: [{ type: LoginType.Password }] }),
});
