/**
 * The HTTP application. Long-polls go to `lean-route.ts` when it can answer them; everything
 * else to express: CORS on every route, JSON bodies with a size limit, the route table, Matrix's
 * 404/405 `M_UNRECOGNIZED` for everything else under `/_matrix`, the web client at `/`, and the
 * one error handler that turns every failure into `{errcode, error}` (`errors.ts`: a 500 never
 * carries internals; its details go to the log with the request ID).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import { ProtocolError } from "../../../protocol/errors.js";
import type { AppContext } from "../context.js";
import { mountCallLinks } from "./call-links.js";
import { cors } from "./cors.js";
import { retryAfter, toProtocolError } from "./errors.js";
import { framePolicy } from "./frame-policy.js";
import { leanRoutes } from "./lean-route.js";
import { fullPaths, Reply, type Auth, type RawBodyRequest, type RouteDef } from "./route.js";
import { runRoute } from "./run-route.js";

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../clients/web/dist");

export function sendError(res: Response, err: ProtocolError): void {
  const wait = retryAfter(err);
  if (wait !== undefined) res.setHeader("Retry-After", wait);
  res.status(err.status).json(err.toBody());
}

function mount(app: express.Express, ctx: AppContext, def: RouteDef<Auth>, fullPath: string) {
  app[def.method](fullPath, async (req, res) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => ctx.metrics.answered(def.method, def.path, res.statusCode, started));
    const result = await runRoute(ctx, def, {
      method: req.method,
      query: req.query as Record<string, unknown>,
      params: req.params as Record<string, string>,
      body: req.body,
      ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
      raw: req,
    });
    if (result instanceof Reply && result.contentType)
      res.status(result.status).type(result.contentType).send(result.body);
    else if (result instanceof Reply) res.status(result.status).json(result.body);
    else res.status(200).json(result ?? {});
  });
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createApp(ctx: AppContext, routes: RouteDef<Auth>[]): RequestListener {
  const lean = leanRoutes(ctx, routes);
  const app = expressApp(ctx, routes);
  return (req, res) => void (lean(req, res) || app(req, res));
}

function expressApp(ctx: AppContext, routes: RouteDef<Auth>[]): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("query parser", "simple");
  app.use(cors);
  app.use((req, res, next) => {
    const id = randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    ctx.logger.debug({ id, method: req.method, url: req.path }, "request");
    next();
  });
  app.use(
    express.json({
      limit: ctx.config.maxBodyBytes,
      type: () => true,
      strict: false,
      // Kept for signature checks over the exact bytes (payment webhooks).
      verify: (req, _res, buf) => void ((req as RawBodyRequest).rawBody = buf),
    }),
  );

  const known = new Set<string>();
  for (const def of routes) {
    for (const p of fullPaths(def)) {
      mount(app, ctx, def, p);
      known.add(p);
    }
  }
  for (const p of known) {
    app.all(p, (req) => {
      throw new ProtocolError("M_UNRECOGNIZED", `Method ${req.method} is not allowed here`, {}, 405);
    });
  }
  app.all(["/_matrix/*rest", "/_callsign/*rest"], () => {
    throw new ProtocolError("M_UNRECOGNIZED", "Unrecognized request");
  });

  app.use(framePolicy(ctx));
  mountCallLinks(app, ctx, existsSync(webDist) ? path.join(webDist, "index.html") : undefined);
  if (existsSync(webDist)) {
    app.use(express.static(webDist, { index: "index.html", maxAge: "1h" }));
    app.get("/*rest", (_req, res) => res.sendFile(path.join(webDist, "index.html")));
  } else {
    app.get("/", (_req, res) => {
      res
        .type("text/plain")
        .send("Callsign homeserver. The web client is not built: run `npm run build:web`.");
    });
  }

  // express recognises error handlers by their four parameters.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.end();
    const at = { id: res.locals.requestId as string, method: req.method, url: req.path };
    sendError(res, toProtocolError(err, ctx.logger, at));
  });
  return app;
}
