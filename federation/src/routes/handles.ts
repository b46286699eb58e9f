// GET /_callsign/federation/v1/handles/{handle} — what a handle hosted here is, for a peer.
import { FederationApiRoutes, type RemoteHandleView } from "../../../protocol/federation/routes.js";
import { route } from "../../../server/src/http/route.js";

export const federationHandle = route({
  method: "get",
  path: FederationApiRoutes.handle,
  scope: "federation",
  auth: "server",
  handler: async ({ params }, ctx): Promise<RemoteHandleView> => {
    const view = await ctx.handles.view(params.handle!);
    return {
      handle: view.handle,
      kind: view.kind,
      display_name: view.user.display_name,
      online: view.online,
      open: view.open,
      paused: view.paused,
      accepts: {
        calls: view.accepts.calls,
        anonymous: view.accepts.anonymous,
        one_click: view.accepts.one_click,
      },
    };
  },
});
