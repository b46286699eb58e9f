/**
 * Call links, `/call/<handle>` and `/call/<handle>/<tag>`: one URL for people and programs. A
 * browser gets the web client's page (which shows the callee and starts the call), with the
 * status of what the link names — 404 for an unknown handle, 410 for an expired tag — so even
 * the status line tells the truth; `Accept: application/json` gets the `HandleView` or the
 * error in the protocol's shape.
 */
import type express from "express";
import { CallLinkRoutes } from "../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type { AppContext } from "../context.js";
import { checkParams } from "./input-guards.js";

export function mountCallLinks(app: express.Express, ctx: AppContext, indexHtml: string | undefined): void {
  app.get([CallLinkRoutes.handle, CallLinkRoutes.tag], async (req, res) => {
    const wantsJson = req.accepts(["html", "json"]) === "json";
    let status = 200;
    let body: unknown;
    try {
      // Links are public: the per-client budget keeps numbers from being walked at speed.
      ctx.limits.requests.take(`ip:${req.ip ?? req.socket.remoteAddress ?? "unknown"}`);
      const params = req.params as Record<string, string>;
      checkParams(params);
      body = await ctx.handles.view(params.handle!, params.tag);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      status = err.status;
      body = err.toBody();
    }
    if (wantsJson) return void res.status(status).json(body);
    if (!indexHtml) {
      return void res
        .status(status)
        .type("text/plain")
        .send("The web client is not built: run `npm run build:web`.");
    }
    res.status(status).sendFile(indexHtml);
  });
}
