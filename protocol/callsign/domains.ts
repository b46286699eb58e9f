/**
 * DNS verification of a domain, in the manner of ACME DNS-01 (RFC 8555 §8.4): the claimant
 * publishes a TXT record whose value is bound to the claim (domain, claimant and a fresh
 * nonce), the provider checks it through DNS, and keeps checking; spec/names.md "Domains"
 * documents it.
 */
import { z } from "zod";

/** The label under which the challenge record is published: `_verify._callsign.<domain>`. */
export const VERIFY_LABEL = "_verify._callsign";

export const DomainState = {
  /** Claimed; the record is not seen yet. */
  Pending: "pending",
  /** The record was seen; the domain is the claimant's. */
  Verified: "verified",
  /** Re-checks fail, but not yet often or long enough to matter; still verified. */
  Failing: "failing",
  /** Failed repeatedly over the failure window: verified until `grace_until`, then lapsed. */
  Grace: "grace",
  /** The claim is over; a new claim (with a new record) is needed. */
  Lapsed: "lapsed",
  /** Another claimant proved control of the domain later: the newest proof wins. */
  Revoked: "revoked",
} as const;
export type DomainStateValue = (typeof DomainState)[keyof typeof DomainState];

/** States in which the claimant holds the domain. */
export const HoldingStates: readonly DomainStateValue[] = [
  DomainState.Verified,
  DomainState.Failing,
  DomainState.Grace,
];

export interface DomainView {
  domain: string;
  /** The domain for display (Unicode). */
  display: string;
  state: DomainStateValue;
  /** The record to publish (exactly): a TXT record at `name` with `value`. */
  record: { name: string; type: "TXT"; value: string };
  verified_at: number | null;
  last_checked_at: number | null;
  /** Consecutive failed checks. */
  failures: number;
  grace_until: number | null;
}

export const ClaimDomainRequest = z.object({ domain: z.string().min(1).max(253) });

export const domainsSchemas = { ClaimDomainRequest } as const;

/**
 * The label of a domain's provider record: `_callsign.<domain>` TXT `v=callsign1 provider=<p>`
 * names the provider that hosts the domain's handles (`acme.com`, `sales@acme.com`).
 */
export const PROVIDER_LABEL = "_callsign";

/** The provider a `_callsign` TXT value names, or undefined when it is not a Callsign record. */
export function parseProviderRecord(txt: string): string | undefined {
  const fields = new Map(
    txt
      .trim()
      .split(/[\s;]+/)
      .map((f) => f.split("=", 2) as [string, string | undefined]),
  );
  if (fields.get("v") !== "callsign1") return undefined;
  const provider = fields.get("provider")?.toLowerCase();
  return provider && /^[a-z0-9.-]+(:\d{1,5})?$/.test(provider) ? provider : undefined;
}

/** The TXT value that names `provider`. */
export const providerRecord = (provider: string) => `v=callsign1 provider=${provider}`;
