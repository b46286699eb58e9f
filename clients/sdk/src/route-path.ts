import { fillRoute } from "../../../protocol/ids.js";
import { CallsignPrefix, CallsignRoutes } from "../../../protocol/callsign/routes.js";

export type Route = (typeof CallsignRoutes)[keyof typeof CallsignRoutes];

/**
 * The full path of a Callsign route, its `:name` parameters filled and percent-encoded.
 *
 * @example routePath(CallsignRoutes.namePay, { name: "acme" }) // "/_callsign/client/v1/names/acme/pay"
 */
export function routePath(route: Route, params: Record<string, string> = {}): string {
  return CallsignPrefix + fillRoute(route, params);
}
