// PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}
import { SendToDeviceRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const sendToDevice = route({
  method: "put",
  path: ClientRoutes.sendToDevice,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    const { messages } = parse(SendToDeviceRequest, body);
    await ctx.toDevice.send(requester, params.eventType!, params.txnId!, messages);
    return {};
  },
});
