/**
 * The server's route table as mounted, and express path patterns (`:param`, `{/:optional}`,
 * `*wildcard`) turned into concrete request paths and into matchers, for tests that generate
 * requests for every route.
 */
import { routes } from "../../server/src/api/index.js";
import { fullPaths, type Auth, type RouteDef } from "../../server/src/http/route.js";

/** One route as mounted: `client` routes appear once per client prefix. */
export interface Mount {
  def: RouteDef<Auth>;
  pattern: string;
  method: string;
}

export const mounts: Mount[] = routes.flatMap((def) =>
  fullPaths(def).map((pattern) => ({
    def,
    pattern,
    method: def.method.toUpperCase(),
  })),
);

/** `METHOD /pattern`, as violations name a route. */
export const routeName = (m: Mount) => `${m.method} ${m.pattern}`;

/** Whether requests with this method carry a body. */
export const hasBody = (method: string) => method === "POST" || method === "PUT";

const PARAM = /[:*]([A-Za-z_$][\w$]*)/g;

/** The parameter names of a pattern, in order. */
export const paramNames = (pattern: string) => [...pattern.matchAll(PARAM)].map((m) => m[1]!);

/** A concrete path: optional groups are included, every parameter URL-encoded from `value`. */
export function fill(pattern: string, value: (name: string) => string): string {
  return pattern.replace(/[{}]/g, "").replace(PARAM, (_, name: string) => value(name));
}

function matcher(pattern: string): RegExp {
  let re = "";
  for (const tok of pattern.match(/\{|\}|[:*][A-Za-z_$][\w$]*|[^{}:*]+/g) ?? []) {
    if (tok === "{") re += "(?:";
    else if (tok === "}") re += ")?";
    else if (tok.startsWith(":")) re += "[^/]+";
    else if (tok.startsWith("*")) re += ".+";
    else re += tok.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}/?$`);
}

const matchers = mounts.map((m) => ({ method: m.method, re: matcher(m.pattern) }));

/** The methods some mounted route serves at a concrete path. */
export const methodsServing = (path: string) =>
  new Set(matchers.filter((m) => m.re.test(path)).map((m) => m.method));
