import { expect } from "chai";
import { loadConfig } from "../../config/config.js";
import { priceByLength, quotePrice, releasePremium } from "./pricing.js";

describe("name pricing", () => {
  const cfg = loadConfig({ CALLSIGN_NAME_PRICES: "3:64000,4:16000,5:500,6:0" }).names;

  it("prices by length, the last entry covering longer names", () => {
    expect([3, 4, 5, 6, 20].map((n) => priceByLength(cfg.prices, n))).to.deep.equal([
      64000, 16000, 500, 0, 0,
    ]);
    expect(priceByLength(cfg.prices, 2)).to.equal(64000);
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(quotePrice(cfg, "мир", false, null).price).to.equal(64000);
    expect(quotePrice(cfg, "𝒶𝒷𝒸𝒹", false, null).price).to.equal(16000);
  });

  it("adds the brand fee and a release premium that decays linearly to zero", () => {
    const released = new Date(1_000_000);
    const half = released.getTime() + cfg.premiumMs / 2;
    expect(releasePremium(released, released.getTime(), cfg.premiumMs, 100000)).to.equal(100000);
    expect(releasePremium(released, half, cfg.premiumMs, 100000)).to.equal(50000);
    expect(releasePremium(released, released.getTime() + cfg.premiumMs, cfg.premiumMs, 100000)).to.equal(0);
    const q = quotePrice(cfg, "acmecorp", true, released, half);
    expect(q).to.deep.equal({
      price: 0,
      brandFee: cfg.brandFeeCents,
      premium: cfg.premiumCents / 2,
      total: cfg.brandFeeCents + cfg.premiumCents / 2,
    });
  });
});
