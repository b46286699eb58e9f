// GET /_matrix/client/v3/account/whoami
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const whoami = route({
  method: "get",
  path: ClientRoutes.whoami,
  scope: "client",
  auth: "user",
  handler: ({ requester }) => ({
    user_id: requester.userId,
    device_id: requester.deviceId,
    is_guest: requester.isGuest,
  }),
});
