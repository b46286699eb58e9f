/**
 * A route is a small descriptor: method, path, who may call it, its rate-limit class and a
 * handler that returns the JSON body. Handlers parse, call a service and shape the answer;
 * the HTTP plumbing is applied once, whichever layer serves the route: auth, limits and input
 * checks in `run-route.ts`, errors in `errors.ts`, CORS and metrics in `app.ts`/`lean-route.ts`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FederationPrefix } from "../../../protocol/federation/routes.js";
import type { Request } from "express";
import type { z } from "zod";
import { CallsignPrefix } from "../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { ClientPrefixes } from "../../../protocol/matrix/routes.js";
import type { AppContext } from "../context.js";
import type { Requester } from "../services/accounts.js";

/** Who may call: nobody in particular, an optional or required user (or a non-guest account), or a peer provider (a signed server-server request). */
export type Auth = "none" | "optional" | "user" | "account" | "server";

/** A request whose body bytes were kept as they arrived. */
export type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * The request as a handler sees it: node's own, with the response and body bytes express adds
 * when express serves the route (long-polls are served without express: see `longPoll`).
 */
export type RawRequest = IncomingMessage & { res?: ServerResponse; rawBody?: Buffer };

export interface Call<A extends Auth> {
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  ip: string;
  /** Present on authenticated routes; on `account` routes never a guest. */
  requester: A extends "none" | "server"
    ? undefined
    : A extends "optional"
      ? Requester | undefined
      : Requester;
  /** On `server` routes: the provider whose signature the request carries (verified). */
  origin: A extends "server" ? string : undefined;
  raw: RawRequest;
}

/** A handler's answer: a body with status 200, or an explicit status and body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** Set for a non-JSON body, which is then sent as it is. */
    readonly contentType?: string,
  ) {}
}

export interface RouteDef<A extends Auth = Auth> {
  method: "get" | "post" | "put" | "delete";
  /**
   * Express path; `client` routes are mounted under every Matrix client prefix, `callsign`
   * routes under the Callsign extension prefix, `federation` ones under the server-server
   * prefix, `absolute` ones as they are.
   */
  path: string;
  scope: "client" | "callsign" | "federation" | "absolute";
  auth: A;
  /** `auth` buckets (register, login) are counted per IP per minute; others per second. */
  limit?: "default" | "auth" | "none";
  /**
   * The request may be held (a long-poll such as `/sync`): GETs without a body are then served
   * by `lean-route.ts` on node:http ahead of express, whose per-request state a held request
   * would keep for its whole wait. Auth, limits, errors, CORS, metrics and answers stay the same.
   */
  longPoll?: boolean;
  handler(call: Call<A>, ctx: AppContext): Promise<unknown> | unknown;
}

/** Every full path a route is served at (its scope's prefixes applied). */
export function fullPaths(def: Pick<RouteDef<Auth>, "path" | "scope">): string[] {
  if (def.scope === "client") return ClientPrefixes.map((p) => p + def.path);
  if (def.scope === "callsign") return [CallsignPrefix + def.path];
  if (def.scope === "federation") return [FederationPrefix + def.path];
  return [def.path];
}

export const route = <A extends Auth>(def: RouteDef<A>): RouteDef<A> => def;

/** Validates input against a protocol schema; failures are 400s in Matrix's error shape. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, where = "body"): z.output<S> {
  if (where === "body" && (value === null || typeof value !== "object" || Array.isArray(value))) {
    throw new ProtocolError("M_NOT_JSON", "The request body must be a JSON object");
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".") || where;
  const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
  throw new ProtocolError(missing ? "M_MISSING_PARAM" : "M_BAD_JSON", `${field}: ${issue.message}`);
}
