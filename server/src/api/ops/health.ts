// GET /health — liveness and readiness: the database and Redis answer.
import { route } from "../../http/route.js";
import { OpsRoutes } from "./paths.js";

export const health = route({
  method: "get",
  path: OpsRoutes.health,
  scope: "absolute",
  auth: "none",
  limit: "none",
  handler: async (_call, ctx) => {
    await ctx.db.ping();
    await ctx.notifier.ping();
    return { status: "ok", embedded: ctx.db.embedded, server_name: ctx.config.serverName };
  },
});
