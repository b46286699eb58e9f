import { CallsignPrefix, CallsignRoutes } from "../../../protocol/callsign/routes.js";

export type Route = (typeof CallsignRoutes)[keyof typeof CallsignRoutes];

/**
 * The full path of a Callsign route, its `:name` parameters filled and percent-encoded.
 *
 * @example routePath(CallsignRoutes.namePay, { name: "acme" }) // "/_callsign/client/v1/names/acme/pay"
 */
export function routePath(route: Route, params: Record<string, string> = {}): string {
  return (
    CallsignPrefix +
    route.replace(/:(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`Missing route parameter ${name} for ${route}`);
      return encodeURIComponent(value);
    })
  );
}
