import { fillRoute } from "../../../protocol/ids.js";
import type { MediaRoutes } from "../../../protocol/callsign/media.js";
import { CallsignPrefix, type CallsignRoutes } from "../../../protocol/callsign/routes.js";

export type Route =
  (typeof CallsignRoutes)[keyof typeof CallsignRoutes] | (typeof MediaRoutes)[keyof typeof MediaRoutes];

/**
 * The full path of a Callsign route, its `:name` parameters filled and percent-encoded.
 *
 * @example routePath(CallsignRoutes.namePay, { name: "acme" }) // "/_callsign/client/v1/names/acme/pay"
 */
export function routePath(route: Route, params: Record<string, string> = {}): string {
  return CallsignPrefix + fillRoute(route, params);
}
