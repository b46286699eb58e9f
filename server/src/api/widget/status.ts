// GET /_callsign/widget/v1/widgets/{widgetId}/status[?since=<state>&timeout=<ms>] — what the site
// widget shows. Public, but only for the widget's own sites: a browser's Origin must be one of
// them, and the answer allows exactly that origin (not `*`).
import { WidgetRoutes } from "../../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { route } from "../../http/route.js";
import { STATUS_WAIT_MAX_MS } from "../../services/webcam/widgets.js";

export const widgetStatus = route({
  method: "get",
  path: WidgetRoutes.status,
  scope: "absolute",
  auth: "none",
  handler: async ({ params, query, raw }, ctx) => {
    const origin = typeof raw.headers.origin === "string" ? raw.headers.origin : undefined;
    const timeout = query.timeout === undefined ? 0 : Number(query.timeout);
    if (!Number.isInteger(timeout) || timeout < 0) {
      throw new ProtocolError("M_INVALID_PARAM", "`timeout` is a whole number of milliseconds");
    }
    const since = typeof query.since === "string" ? query.since : undefined;
    const status = await ctx.widgets.status(
      params.widgetId!,
      origin,
      since,
      Math.min(timeout, STATUS_WAIT_MAX_MS),
    );
    if (origin) {
      raw.res?.setHeader("Access-Control-Allow-Origin", origin);
      raw.res?.setHeader("Vary", "Origin");
    }
    raw.res?.setHeader("Cache-Control", "no-store");
    return status;
  },
});
