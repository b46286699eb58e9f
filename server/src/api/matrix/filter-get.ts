// GET /_matrix/client/v3/user/{userId}/filter/{filterId}
import { ProtocolError } from "../../../../protocol/errors.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const filterGet = route({
  method: "get",
  path: ClientRoutes.filterGet,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params }, ctx) => {
    if (params.userId !== requester.userId)
      throw new ProtocolError("M_FORBIDDEN", "Cannot read filters of other users");
    const filter = await ctx.filters.get(requester.userId, params.filterId!);
    if (!filter) throw new ProtocolError("M_NOT_FOUND", "No such filter");
    return filter;
  },
});
