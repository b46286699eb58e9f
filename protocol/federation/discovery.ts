/**
 * How providers find each other and each other's keys (spec/federation.md "Server identity").
 */

/** Served by every provider: who it is and the certificates its signatures verify with. */
export const FederationRoutes = { wellKnownServer: "/.well-known/callsign/server" } as const;

/** The federation API versions a provider speaks. */
export const FEDERATION_VERSIONS = ["v1"] as const;

/** TXT records at `_callsign-key.<server name>` pin the provider's certificates. */
export const KEY_PIN_LABEL = "_callsign-key";

/** The TXT value that pins one certificate: `v=callsign1 fp=sha256:<hex>`. */
export const pinRecord = (fingerprint: string) => `v=callsign1 fp=${fingerprint}`;

/** The fingerprint a pin record names, or undefined for another kind of TXT value. */
export function parsePinRecord(txt: string): string | undefined {
  const m = /^v=callsign1\s+fp=(sha256:[0-9a-f]{64})\s*$/.exec(txt.trim());
  return m?.[1];
}

export interface ServerDiscoveryView {
  server_name: string;
  versions: readonly string[];
  /** The current certificate first, then those still in their rotation overlap. */
  certificates: { certificate: string; fingerprint: string; not_after: number }[];
}

/** The SRV label under a provider's name that says where its federation API listens. */
export const FEDERATION_SRV_LABEL = "_callsign._tcp";
