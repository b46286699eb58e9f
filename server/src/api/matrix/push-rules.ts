// GET /_matrix/client/v3/pushrules/
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";
import { defaultPushRules } from "../../services/push-rules.js";

export const pushRules = route({
  method: "get",
  path: ClientRoutes.pushRules,
  scope: "client",
  auth: "user",
  handler: ({ requester }) => ({ global: defaultPushRules(requester.userId) }),
});
