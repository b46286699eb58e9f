// GET /.well-known/callsign/server — this provider's name, federation versions and certificates.
import {
  FEDERATION_VERSIONS,
  FederationRoutes,
  type ServerDiscoveryView,
} from "../../../protocol/federation/discovery.js";
import { route } from "../../../server/src/http/route.js";

export const wellKnownServer = route({
  method: "get",
  path: FederationRoutes.wellKnownServer,
  scope: "absolute",
  auth: "none",
  handler: async ({ raw }, ctx): Promise<ServerDiscoveryView> => {
    raw.res?.setHeader("Cache-Control", "public, max-age=300");
    return {
      server_name: ctx.config.serverName,
      versions: FEDERATION_VERSIONS,
      certificates: await ctx.serverKeys.published(),
    };
  },
});
