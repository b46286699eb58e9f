// GET /.well-known/matrix/client
import { AbsoluteRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const wellKnownClient = route({
  method: "get",
  path: AbsoluteRoutes.wellKnownClient,
  scope: "absolute",
  auth: "none",
  limit: "none",
  handler: (_call, ctx) => ({ "m.homeserver": { base_url: ctx.baseUrl } }),
});
