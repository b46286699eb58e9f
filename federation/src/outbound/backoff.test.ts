import { expect } from "chai";
import { retryDelay } from "./backoff.js";

describe("federation delivery back-off", () => {
  const s = { baseMs: 1000, maxMs: 600_000 };

  it("doubles from the base after each failure, up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, s, 0.999999))).to.deep.equal([1000, 2000, 4000, 8000]);
    expect(retryDelay(10, s, 0.999999)).to.equal(512_000);
    expect(retryDelay(11, s, 0.999999)).to.equal(600_000);
    expect(retryDelay(5000, s, 0.999999)).to.equal(600_000);
  });

  it("takes off up to half as jitter", () => {
    expect(retryDelay(1, s, 0)).to.equal(500);
    expect(retryDelay(3, s, 0.5)).to.equal(3000);
    expect(retryDelay(20, s, 0)).to.equal(300_000);
  });
});
