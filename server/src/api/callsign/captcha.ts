// GET /_callsign/client/v1/captcha — a proof-of-work challenge for a guest's call without a topic.
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { route } from "../../http/route.js";

export const captcha = route({
  method: "get",
  path: CallsignRoutes.captcha,
  scope: "callsign",
  auth: "none",
  handler: (_call, ctx) => ctx.captcha.create(),
});
