// POST /_matrix/client/v3/user/{userId}/filter
import { ProtocolError } from "../../../../protocol/errors.js";
import { FilterDefinition } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const filterCreate = route({
  method: "post",
  path: ClientRoutes.filterCreate,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    if (params.userId !== requester.userId)
      throw new ProtocolError("M_FORBIDDEN", "Cannot create filters for other users");
    const definition = parse(FilterDefinition, body);
    return { filter_id: await ctx.filters.insert(requester.userId, definition) };
  },
});
