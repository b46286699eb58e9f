// GET /_matrix/client/v3/voip/turnServer
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

/** Without TURN configured the answer is `{}`, which Matrix clients read as "no TURN server". */
export const turnServer = route({
  method: "get",
  path: ClientRoutes.turnServer,
  scope: "client",
  auth: "user",
  handler: ({ requester }, ctx) => ctx.turn.credentials(requester.userId) ?? {},
});
