// POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId} and /read_markers
import { ReadMarkersRequest } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const receipt = route({
  method: "post",
  path: ClientRoutes.roomReceipt,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params }, ctx) => {
    await ctx.receipts.mark(requester, params.roomId!, { [params.receiptType!]: params.eventId! });
    return {};
  },
});

export const readMarkers = route({
  method: "post",
  path: ClientRoutes.roomReadMarkers,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    await ctx.receipts.mark(requester, params.roomId!, parse(ReadMarkersRequest, body));
    return {};
  },
});
