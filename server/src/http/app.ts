/**
 * The express application: CORS on every route, JSON bodies with a size limit, the route table,
 * Matrix's 404/405 `M_UNRECOGNIZED` for everything else under `/_matrix`, the web client at `/`,
 * and the one error handler that turns every failure into `{errcode, error}` (a 500 never
 * carries internals; its details go to the log with the request ID).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import { ProtocolError } from "../../../protocol/errors.js";
import type { AppContext } from "../context.js";
import { mountCallLinks } from "./call-links.js";
import { checkBody, checkParams } from "./input-guards.js";
import { framePolicy } from "./frame-policy.js";
import { authenticatePeer } from "../../../federation/src/inbound/authenticate.js";
import { fullPaths, Reply, type Auth, type RawBodyRequest, type RouteDef } from "./route.js";

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../clients/web/dist");

function cors(req: Request, res: Response, next: NextFunction) {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
  if (req.method === "OPTIONS") return void res.status(204).end();
  next();
}

function accessToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const q = req.query.access_token;
  return typeof q === "string" ? q : undefined;
}

export function sendError(res: Response, err: ProtocolError): void {
  if (err.errcode === "M_LIMIT_EXCEEDED" && typeof err.extra.retry_after_ms === "number") {
    res.setHeader("Retry-After", Math.ceil(err.extra.retry_after_ms / 1000));
  }
  res.status(err.status).json(err.toBody());
}

function mount(app: express.Express, ctx: AppContext, def: RouteDef<Auth>, fullPath: string) {
  app[def.method](fullPath, async (req, res) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      ctx.metrics.requests.inc({ method: def.method, route: def.path, status: String(res.statusCode) });
      ctx.metrics.duration.observe(
        { method: def.method, route: def.path },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    const token = accessToken(req);
    let requester = undefined;
    let origin: string | undefined;
    if (def.auth === "server") {
      origin = await authenticatePeer(req, {
        peers: ctx.peers,
        db: ctx.db,
        serverName: ctx.config.serverName,
      });
      // Catch-up: the peer is up, so what waits for it after failed attempts goes now.
      ctx.delivery.heardFrom(origin);
    } else if (def.auth !== "none" && (token || def.auth !== "optional")) {
      if (!token) throw new ProtocolError("M_MISSING_TOKEN", "Missing access token");
      requester = await ctx.accounts.authenticate(token);
      if (def.auth === "account" && requester.isGuest) {
        throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guest accounts may not do this");
      }
    }
    const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
    if (def.limit === "auth") ctx.limits.auth.take(`auth:${ip}`);
    // Per user, per peer provider (server-server routes), else per address.
    if (def.limit !== "none") {
      ctx.limits.requests.take(requester?.userId ?? (origin ? `peer:${origin}` : `ip:${ip}`));
    }
    checkParams(req.params as Record<string, string>);
    const body = checkBody(req.method, req.body);
    const result = await def.handler(
      {
        body,
        query: req.query as Record<string, unknown>,
        params: req.params as Record<string, string>,
        ip,
        requester: requester as never,
        origin: origin as never,
        raw: req,
      },
      ctx,
    );
    if (result instanceof Reply && result.contentType)
      res.status(result.status).type(result.contentType).send(result.body);
    else if (result instanceof Reply) res.status(result.status).json(result.body);
    else res.status(200).json(result ?? {});
  });
}

export function createApp(ctx: AppContext, routes: RouteDef<Auth>[]): express.Express {
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
    if (err instanceof ProtocolError) return sendError(res, err);
    if (err instanceof URIError) {
      return sendError(res, new ProtocolError("M_INVALID_PARAM", "The URL has invalid percent-encoding"));
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === "entity.parse.failed")
      return sendError(res, new ProtocolError("M_NOT_JSON", "Body is not valid JSON"));
    if (e.type === "entity.too.large")
      return sendError(res, new ProtocolError("M_TOO_LARGE", "Body is too large"));
    if (e.type && e.status && e.status < 500) {
      return sendError(res, new ProtocolError("M_BAD_JSON", e.message ?? "Bad request", {}, e.status));
    }
    if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
      return sendError(res, new ProtocolError("M_UNKNOWN", "Bad request", {}, e.status));
    }
    if (isUnavailable(err)) {
      ctx.logger.error({ err, id: res.locals.requestId }, "backing service unavailable");
      return sendError(res, new ProtocolError("IO_CALLSIGN_UNAVAILABLE", "Service temporarily unavailable"));
    }
    ctx.logger.error({ err, id: res.locals.requestId, method: req.method, url: req.path }, "unhandled error");
    sendError(
      res,
      new ProtocolError("IO_CALLSIGN_INTERNAL", `Internal error (request ${res.locals.requestId})`),
    );
  });
  return app;
}

function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "ECONNREFUSED" || code === "57P01" || code === "53300" || code === "ETIMEDOUT";
}
