/**
 * What every route gets between HTTP and its handler, whichever layer serves it (express in
 * `app.ts`, long-polls in `lean-route.ts`): the caller authenticated (an access token or a
 * peer's signature), the rate limits taken, path parameters and body checked, the handler run.
 */
import type { IncomingMessage } from "node:http";
import { ProtocolError } from "../../../protocol/errors.js";
import { authenticatePeer } from "../../../federation/src/inbound/authenticate.js";
import type { AppContext } from "../context.js";
import type { Requester } from "../services/accounts.js";
import { checkBody, checkParams } from "./input-guards.js";
import type { Auth, Call, RawBodyRequest, RawRequest, RouteDef } from "./route.js";

export interface RouteRequest {
  method: string;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
  ip: string;
  raw: RawRequest;
}

/** `Authorization: Bearer …`, else the `access_token` query parameter (when given once). */
export function accessToken(req: IncomingMessage, query: Record<string, unknown>): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const q = query.access_token;
  return typeof q === "string" ? q : undefined;
}

/** Authenticates, takes the limits, checks the input and answers the handler's result. */
export async function runRoute(ctx: AppContext, def: RouteDef<Auth>, r: RouteRequest): Promise<unknown> {
  return def.handler(await prepareCall(ctx, def, r), ctx);
}

/** What the handler is called with, once the caller is authenticated and the input checked. */
export async function prepareCall(
  ctx: AppContext,
  def: RouteDef<Auth>,
  r: RouteRequest,
): Promise<Call<Auth>> {
  const token = accessToken(r.raw, r.query);
  let requester: Requester | undefined;
  let origin: string | undefined;
  if (def.auth === "server") {
    // Server routes are always served by express (lean-route.ts takes none), which keeps the
    // body bytes and the original URL that the signature covers.
    origin = await authenticatePeer(r.raw as RawBodyRequest, {
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
  if (def.limit === "auth") ctx.limits.auth.take(`auth:${r.ip}`);
  // Per user, per peer provider (server-server routes), else per address.
  if (def.limit !== "none") {
    ctx.limits.requests.take(requester?.userId ?? (origin ? `peer:${origin}` : `ip:${r.ip}`));
  }
  checkParams(r.params);
  const body = checkBody(r.method, r.body);
  return {
    body,
    query: r.query,
    params: r.params,
    ip: r.ip,
    requester: requester as never,
    origin: origin as never,
    raw: r.raw,
  };
}
