/** Route paths of the server-server API, under `FederationPrefix` (spec/federation.md). */
export const FederationPrefix = "/_callsign/federation/v1";

export const FederationApiRoutes = {
  /** What a handle hosted here is, and whether it takes calls now. */
  handle: "/handles/:handle",
  /** A transaction of queued items from the signing provider (spec/federation-delivery.md). */
  send: "/send/:txnId",
} as const;

/** A handle as its hosting provider describes it to another provider. */
export interface RemoteHandleView {
  handle: string;
  kind: "subscriber" | "service";
  display_name: string | null;
  /** Whether it takes calls now (online, within its hours, not paused). */
  online: boolean;
  open: boolean;
  paused: boolean;
  accepts: { calls: boolean; anonymous: boolean; one_click: boolean };
}
