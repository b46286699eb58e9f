/** Helpers over identifiers and route patterns shared by servers and clients. */

/** The server part of `@user:server` or `!room:server` (everything after the first colon). */
export function serverOf(id: string): string {
  const colon = id.indexOf(":");
  return colon < 0 ? "" : id.slice(colon + 1);
}

/** The local part of `@user:server` (between the sigil and the first colon). */
export function localpartOf(id: string): string {
  const colon = id.indexOf(":");
  return id.slice(1, colon < 0 ? undefined : colon);
}

/**
 * A route pattern with its `:name` parameters filled in and percent-encoded.
 *
 * @example fillRoute("/names/:name/pay", { name: "acme" }) // "/names/acme/pay"
 */
export function fillRoute(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing route parameter ${name} for ${pattern}`);
    return encodeURIComponent(value);
  });
}
