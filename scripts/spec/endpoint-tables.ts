/**
 * The endpoint tables, from the server's route table (`routes` in `server/src/api/index.ts`) and
 * the call links, split between the documents that define them: the Matrix subset and the
 * operational endpoints in `client-api.md`; the Callsign extension endpoints, the Matrix presence
 * endpoints (which decide whether a callee is online) and the call links in `calls.md`. Every
 * served route lands in exactly one of the two tables.
 */
import { CallLinkRoutes } from "../../protocol/callsign/routes.js";
import { PresenceRoutes } from "../../protocol/matrix/routes.js";
import { routes } from "../../server/src/api/index.js";
import { fullPaths as servedPaths, type Auth, type RouteDef } from "../../server/src/http/route.js";
import { code, table } from "./markdown.js";

/** Express path syntax in the spec's notation: `:id` → `{id}`, `{/:opt}` → `[/{opt}]`. */
export function displayPath(expressPath: string): string {
  return expressPath
    .replace(/\{(\/[^}]*)\}/g, "[$1]")
    .replace(/:(\w+)/g, "{$1}")
    .replace(/\*(\w+)/g, "{$1…}");
}

/** Every full path a route is served at, in the spec's notation. */
export function fullPaths(def: Pick<RouteDef<Auth>, "path" | "scope">): string[] {
  return servedPaths(def).map(displayPath);
}

const presencePaths: readonly string[] = Object.values(PresenceRoutes);

/** Whether a route belongs to `calls.md`'s table: the extension API and Matrix presence. */
export function isCallsRoute(def: Pick<RouteDef<Auth>, "path" | "scope">): boolean {
  return def.scope === "callsign" || (def.scope === "client" && presencePaths.includes(def.path));
}

/**
 * The call links, served outside the route table (`server/src/http/call-links.ts`): no access
 * token is read and no rate limit is taken.
 */
export const callLinkPaths: string[] = Object.values(CallLinkRoutes).map(displayPath);

const authNames: Record<Auth, string> = {
  none: "none",
  optional: "optional",
  user: "user or guest",
  account: "user, not guest",
  server: "signed by a provider",
};

const row = (r: RouteDef<Auth>) => [
  r.method.toUpperCase(),
  fullPaths(r).map(code).join("<br>"),
  authNames[r.auth],
  r.limit ?? "default",
];

const head = ["method", "path", "auth", "rate limit"];

/** The routes of `client-api.md`: the Matrix subset and the operational endpoints. */
export function endpointsSection(): string {
  return table(head, routes.filter((r) => !isCallsRoute(r)).map(row));
}

/** The routes of `calls.md`: Matrix presence, the Callsign extension API and the call links. */
export function callsEndpointsSection(): string {
  const links = [["GET", callLinkPaths.map(code).join("<br>"), "none", "none"]];
  return table(head, [...routes.filter(isCallsRoute).map(row), ...links]);
}
