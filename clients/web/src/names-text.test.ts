import { expect } from "chai";
import type { DomainView } from "../../../protocol/callsign/domains.js";
import type { NameQuote } from "../../../protocol/callsign/names.js";
import {
  brandLabel,
  brandReasonText,
  formatMoney,
  formatTerm,
  priceLines,
  quoteReasonText,
  totalText,
} from "./names-text.js";

const quote = (over: Partial<NameQuote>): NameQuote => ({
  name: "acme",
  available: true,
  reason: null,
  is_brand: false,
  brand_reasons: [],
  price_cents: 5000,
  brand_fee_cents: 0,
  premium_cents: 0,
  total_cents: 5000,
  currency: "EUR",
  term_seconds: 31_536_000,
  ...over,
});

describe("names screen text", () => {
  it("formats cents in the currency, and still shows an unknown currency", () => {
    expect(formatMoney(5000, "EUR", "en-US")).to.equal("€50.00");
    expect(formatMoney(123456, "USD", "en-US")).to.equal("$1,234.56");
    expect(formatMoney(5000, "ZZ", "en-US")).to.equal("50.00 ZZ");
  });

  it("names the term", () => {
    expect(formatTerm(31_536_000)).to.equal("year");
    expect(formatTerm(2 * 31_536_000)).to.equal("2 years");
    expect(formatTerm(30 * 86_400)).to.equal("30 days");
    expect(formatTerm(3)).to.equal("3 seconds");
  });

  it("lists the price, then the brand fee and premium only when there are any", () => {
    expect(priceLines(quote({}), "en-US")).to.deep.equal([{ label: "Price", amount: "€50.00" }]);
    const brand = quote({ price_cents: 0, brand_fee_cents: 50000, premium_cents: 100, total_cents: 50100 });
    expect(priceLines(brand, "en-US")).to.deep.equal([
      { label: "Price", amount: "Free" },
      { label: "Brand fee", amount: "€500.00" },
      { label: "Release premium", amount: "€1.00" },
    ]);
    expect(totalText(brand, "en-US")).to.equal("€501.00 for the first year");
    expect(totalText(quote({ price_cents: 0, total_cents: 0 }), "en-US")).to.equal("Free");
  });

  it("says why a name is unavailable or a brand", () => {
    expect(quoteReasonText(null)).to.equal("Available");
    expect(quoteReasonText("looks like coco")).to.equal("Too much like coco, held already");
    expect(quoteReasonText("something new")).to.equal("something new");
    expect(brandReasonText({ kind: "domain", value: "acme.com" })).to.equal("acme.com is registered");
    expect(brandReasonText({ kind: "trademark", value: "Acme" })).to.equal("trademark Acme");
  });

  it("finds the brand name of a two-label domain only", () => {
    const domain = (display: string) => ({ display }) as DomainView;
    expect(brandLabel(domain("acme.com"))).to.equal("acme");
    expect(brandLabel(domain("bücher.de"))).to.equal("bücher");
    expect(brandLabel(domain("shop.example.test"))).to.equal(undefined);
  });
});
