/** Route paths of the server-server API, under `FederationPrefix` (spec/federation.md). */
import type { HandleView } from "../callsign/calls.js";

export const FederationPrefix = "/_callsign/federation/v1";

export const FederationApiRoutes = {
  /** What a handle hosted here is, and whether it takes calls now. */
  handle: "/handles/:handle",
  /** A transaction of queued items from the signing provider (spec/federation-delivery.md). */
  send: "/send/:txnId",
} as const;

/**
 * A handle as its hosting provider describes it to another provider: the client API's
 * `HandleView` (spec/calls.md "Addressing"), `user.provider` and `user.handle` telling where
 * and how it is dialled.
 */
export type RemoteHandleView = HandleView;
