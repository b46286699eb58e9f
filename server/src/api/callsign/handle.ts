// GET /_callsign/client/v1/handles/{handle}[?tag=]
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { route } from "../../http/route.js";

export const handle = route({
  method: "get",
  path: CallsignRoutes.handle,
  scope: "callsign",
  auth: "optional",
  handler: ({ params, query }, ctx) =>
    ctx.handles.view(params.handle!, typeof query.tag === "string" ? query.tag : undefined),
});
