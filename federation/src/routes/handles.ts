// GET /_callsign/federation/v1/handles/{handle}[?tag=] — what a handle hosted here is, for a peer.
import { z } from "zod";
import { FederationApiRoutes, type RemoteHandleView } from "../../../protocol/federation/routes.js";
import { parse, route } from "../../../server/src/http/route.js";

const HandleQuery = z.object({ tag: z.string().max(64).optional() });

export const federationHandle = route({
  method: "get",
  path: FederationApiRoutes.handle,
  scope: "federation",
  auth: "server",
  handler: async ({ params, query }, ctx): Promise<RemoteHandleView> => {
    const view = await ctx.handles.view(params.handle!, parse(HandleQuery, query, "query").tag, {
      here: true,
    });
    return { ...view, user: { ...view.user, provider: ctx.config.serverName } };
  },
});
