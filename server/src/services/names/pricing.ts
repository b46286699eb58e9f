/**
 * What a name costs: a yearly price by length (short names are scarce, as with ENS), the brand
 * fee for brand-like names, and a release premium that decays linearly to zero after a name is
 * released, so a freed name goes to whoever values it, not to whoever scripts the fastest
 * grab. All amounts are integer cents.
 */
import type { Config } from "../../config/config.js";

/** The yearly price of a name of `length` characters (code points). */
export function priceByLength(prices: Config["names"]["prices"], length: number): number {
  let price = prices[0]![1];
  for (const [minLength, cents] of prices) if (length >= minLength) price = cents;
  return price;
}

/** The release premium `now`, for a name released at `releasedAt`. */
export function releasePremium(
  releasedAt: Date | null,
  now: number,
  premiumMs: number,
  startCents: number,
): number {
  if (!releasedAt || premiumMs === 0) return 0;
  const left = 1 - (now - releasedAt.getTime()) / premiumMs;
  return left <= 0 ? 0 : Math.round(startCents * left);
}

export interface Price {
  price: number;
  brandFee: number;
  premium: number;
  total: number;
}

export function quotePrice(
  cfg: Config["names"],
  name: string,
  isBrand: boolean,
  releasedAt: Date | null,
  now = Date.now(),
): Price {
  const price = priceByLength(cfg.prices, [...name].length);
  const brandFee = isBrand ? cfg.brandFeeCents : 0;
  const premium = releasePremium(releasedAt, now, cfg.premiumMs, cfg.premiumCents);
  return { price, brandFee, premium, total: price + brandFee + premium };
}
