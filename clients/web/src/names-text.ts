/** Words and numbers of the Names screen: prices, terms, reasons, states and dates. */
import type { DomainView } from "../../../protocol/callsign/domains.js";
import type { BrandReason, NameQuote } from "../../../protocol/callsign/names.js";

const YEAR_S = 365 * 24 * 60 * 60;
const DAY_S = 24 * 60 * 60;

/**
 * An amount of integer cents in its currency, in the reader's locale.
 *
 * @example formatMoney(5000, "EUR", "en-US") // "€50.00"
 */
export function formatMoney(cents: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
  } catch {
    // A currency code the browser does not know: still show the amount and the code.
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** "year", "2 years", "30 days": how long one paid term is. */
export function formatTerm(seconds: number): string {
  if (seconds % YEAR_S === 0) return seconds === YEAR_S ? "year" : `${seconds / YEAR_S} years`;
  if (seconds % DAY_S === 0) return seconds === DAY_S ? "day" : `${seconds / DAY_S} days`;
  return `${seconds} seconds`;
}

/** A date and time in the reader's locale, or "—" for none. */
export function formatWhen(ms: number | null, locale?: string): string {
  if (ms === null) return "—";
  return new Date(ms).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** Why a quoted name cannot be had, in words; the server's reason codes are few and stable. */
export function quoteReasonText(reason: string | null): string {
  if (reason === null) return "Available";
  if (reason === "taken") return "Taken: someone holds this name";
  if (reason === "yours") return "You hold this name";
  if (reason === "reserved") return "Reserved by the provider";
  if (reason.startsWith("looks like "))
    return `Too much like ${reason.slice("looks like ".length)}, held already`;
  return reason;
}

/** "acme.com is registered", "trademark Acme". */
export function brandReasonText(reason: BrandReason): string {
  return reason.kind === "domain" ? `${reason.value} is registered` : `trademark ${reason.value}`;
}

/** The lines of a quote's price: the price, then the brand fee and the premium when there are any. */
export function priceLines(quote: NameQuote, locale?: string): { label: string; amount: string }[] {
  const money = (cents: number) => formatMoney(cents, quote.currency, locale);
  const lines = [{ label: "Price", amount: quote.price_cents === 0 ? "Free" : money(quote.price_cents) }];
  if (quote.brand_fee_cents > 0) lines.push({ label: "Brand fee", amount: money(quote.brand_fee_cents) });
  if (quote.premium_cents > 0) lines.push({ label: "Release premium", amount: money(quote.premium_cents) });
  return lines;
}

/** "€550.00 for the first year", or "Free" */
export function totalText(quote: NameQuote, locale?: string): string {
  if (quote.total_cents === 0) return "Free";
  const term = formatTerm(quote.term_seconds);
  return `${formatMoney(quote.total_cents, quote.currency, locale)} for the first ${term}`;
}

/** What a domain's state means for its owner. */
export function domainStateText(domain: DomainView): string {
  switch (domain.state) {
    case "pending":
      return "Pending";
    case "verified":
      return "Verified";
    case "failing":
      return "Verified, checks failing";
    case "grace":
      return "In grace";
    case "lapsed":
      return "Lapsed";
    case "revoked":
      return "Revoked";
  }
}

/**
 * The name that a domain of the form `<label>.<tld>` might let its verified owner claim (whether
 * it does depends on the provider's brand TLDs: the name's quote lists the domain then).
 */
export function brandLabel(domain: DomainView): string | undefined {
  const labels = domain.display.split(".");
  return labels.length === 2 ? labels[0] : undefined;
}

/** What claiming a name as the verified owner of its domain did. */
export function claimText(claim: { name: string; holder_until: number | null }, locale?: string): string {
  return claim.holder_until === null
    ? `You claimed ${claim.name}: it is held for you now; pay for it under My names.`
    : `You claimed ${claim.name}: its holder keeps it until ${formatWhen(claim.holder_until, locale)}, ` +
        "then it is held for you.";
}
