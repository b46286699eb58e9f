// GET /_matrix/client/v3/rooms/{roomId}/messages
import { ProtocolError } from "../../../../protocol/errors.js";
import { FilterDefinition, MessagesQuery } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const messages = route({
  method: "get",
  path: ClientRoutes.roomMessages,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, query }, ctx) => {
    const q = parse(MessagesQuery, query, "query");
    let filter: NonNullable<FilterDefinition["presence"]> = {};
    if (q.filter) {
      try {
        filter = parse(FilterDefinition.shape.presence.unwrap(), JSON.parse(q.filter), "filter");
      } catch (err) {
        if (err instanceof ProtocolError) throw err;
        throw new ProtocolError("M_NOT_JSON", "filter is not valid JSON");
      }
    }
    return ctx.reader.messages(requester, params.roomId!, {
      from: q.from,
      to: q.to,
      dir: q.dir,
      limit: q.limit ?? filter.limit,
      types: filter.types,
      notTypes: filter.not_types,
    });
  },
});
