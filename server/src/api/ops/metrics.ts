// GET /metrics — Prometheus text format.
import { Reply, route } from "../../http/route.js";
import { OpsRoutes } from "./paths.js";

export const metrics = route({
  method: "get",
  path: OpsRoutes.metrics,
  scope: "absolute",
  auth: "none",
  limit: "none",
  handler: async (_call, ctx) =>
    new Reply(200, await ctx.metrics.registry.metrics(), ctx.metrics.registry.contentType),
});
