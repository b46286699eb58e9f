// GET /_matrix/client/v3/sync
import { ProtocolError } from "../../../../protocol/errors.js";
import { FilterDefinition, SyncQuery } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parseStreamToken } from "../../../../protocol/matrix/tokens.js";
import { parse, route } from "../../http/route.js";

export const sync = route({
  method: "get",
  path: ClientRoutes.sync,
  scope: "client",
  auth: "user",
  longPoll: true,
  handler: async ({ requester, query }, ctx) => {
    const q = parse(SyncQuery, query, "query");
    let filter: FilterDefinition = {};
    if (q.filter?.startsWith("{")) {
      let json: unknown;
      try {
        json = JSON.parse(q.filter);
      } catch {
        throw new ProtocolError("M_NOT_JSON", "filter is not valid JSON");
      }
      filter = parse(FilterDefinition, json, "filter");
    } else if (q.filter) {
      const stored = await ctx.filters.get(requester.userId, q.filter);
      if (!stored) throw new ProtocolError("M_NOT_FOUND", "No such filter");
      filter = stored as FilterDefinition;
    }
    // A client that syncs is online (F6): calls to its user queue instead of going to SMS.
    await ctx.presence.touch(requester.userId, q.set_presence ?? "online");
    return ctx.sync.sync(requester, {
      since: q.since === undefined ? undefined : parseStreamToken(q.since, "since"),
      timeoutMs: q.timeout ?? 0,
      filter,
      fullState: q.full_state === "true",
    });
  },
});
