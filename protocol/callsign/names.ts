/**
 * Reserved names (user names and service ids): their lifecycle, prices and the views of the
 * names API. `spec/names.md` documents them; the server's name service enforces
 * `NameTransitions`, driven by jobs at each deadline.
 */
import { z } from "zod";

export const NameState = {
  /** Reserved for its payment until `held_until`; then released if unpaid. */
  Held: "held",
  /** Paid until `paid_until`. */
  Active: "active",
  /** The term ended; only the holder may renew until `grace_until`. */
  Grace: "grace",
  /** Free for anyone again, at the release premium while it decays. */
  Released: "released",
} as const;
export type NameStateValue = (typeof NameState)[keyof typeof NameState];

export const NameTransitions: Record<NameStateValue, readonly NameStateValue[]> = {
  held: [NameState.Active, NameState.Released],
  active: [NameState.Active, NameState.Grace, NameState.Released],
  grace: [NameState.Active, NameState.Released],
  released: [],
};

export type NameKind = "user" | "service";

/** Why a name counts as a brand: a registered domain, or a trademark of the provider's list. */
export interface BrandReason {
  kind: "domain" | "trademark";
  /** The domain found (`acme.com`) or the trademark matched. */
  value: string;
}

/** What reserving a name would cost now, and whether it can be had. */
export interface NameQuote {
  name: string;
  available: boolean;
  /** Why not, when unavailable: held by someone, reserved, look-alike of a held name. */
  reason: string | null;
  is_brand: boolean;
  brand_reasons: BrandReason[];
  price_cents: number;
  brand_fee_cents: number;
  /** The decaying release premium of a recently released name. */
  premium_cents: number;
  total_cents: number;
  currency: string;
  term_seconds: number;
}

export interface NameEventView {
  from: NameStateValue | null;
  to: NameStateValue;
  actor: string;
  reason: string;
  at: number;
}

export interface NameView {
  name: string;
  kind: NameKind;
  state: NameStateValue;
  holder: string;
  is_brand: boolean;
  brand_reasons: BrandReason[];
  held_until: number | null;
  paid_until: number | null;
  grace_until: number | null;
  /** What the next payment costs: for a held name the amount due (premium included), else a term. */
  renewal_cents: number;
  /** Set when a verified owner of this domain claimed the name: no renewal past `paid_until`. */
  claimed_by_domain: string | null;
  currency: string;
  events: NameEventView[];
}

export const ReserveNameRequest = z.object({
  /** The name as typed; the server normalises it (spec/names.md). */
  name: z.string().min(1).max(256),
  kind: z.enum(["user", "service"]).default("user"),
});

/**
 * A payment for a held name or a renewal: `source` is the card or token from the provider's
 * form; it may be left out when nothing is due (a free name's renewal).
 */
export const PayNameRequest = z.object({ source: z.string().min(1).max(256).optional() });

export const namesSchemas = { ReserveNameRequest, PayNameRequest } as const;

/** One directory hit: a name or a verified domain, with who answers to it. */
export interface DirectoryEntry {
  /** A person's user name, a Webcam service's id, or a verified domain. */
  kind: "user" | "service" | "domain";
  /** What to dial: the name, or the domain. */
  handle: string;
  display_name: string | null;
  number: string | null;
  /** True for DNS-verified domains (brands proven through DNS). */
  verified: boolean;
  /** How it matched: the whole handle, its beginning, or a near spelling. */
  match: "exact" | "prefix" | "fuzzy";
}
