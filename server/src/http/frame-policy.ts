/**
 * Who may frame our pages: nobody (`frame-ancestors 'none'`, against click-jacking), except a
 * call page opened from a site widget (`/call/<handle>?widget=<id>`), which the widget's own
 * sites may frame — and only they. API answers are JSON and are not framed; every answer also
 * says `nosniff`.
 */
import type { NextFunction, Request, Response } from "express";
import type { AppContext } from "../context.js";

export function framePolicy(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (req.path.startsWith("/_matrix/") || req.path.startsWith("/_callsign/")) return next();
    const widget =
      typeof req.query.widget === "string" && req.path.startsWith("/call/") ? req.query.widget : "";
    const ancestors = widget ? ctx.widgets.frameAncestors(widget) : Promise.resolve([]);
    ancestors
      .then((origins) => {
        res.setHeader(
          "Content-Security-Policy",
          `frame-ancestors ${origins.length ? origins.join(" ") : "'none'"}`,
        );
        next();
      })
      .catch(next);
  };
}
