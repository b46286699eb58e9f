import { expect } from "chai";
import { RETRY_BASE_MS, RETRY_CAP_MS, retryDelay } from "./backoff.js";

describe("widget retry backoff", () => {
  it("doubles per failure between half and all of its step, never below half the base", () => {
    expect(retryDelay(1, () => 0)).to.equal(RETRY_BASE_MS / 2);
    expect(retryDelay(1, () => 0.999)).to.be.closeTo(RETRY_BASE_MS, 1);
    expect(retryDelay(3, () => 0)).to.equal(2 * RETRY_BASE_MS);
    expect(retryDelay(0, () => 0)).to.equal(RETRY_BASE_MS / 2);
  });

  it("is capped however long the failures last", () => {
    expect(retryDelay(30, () => 0.999)).to.be.at.most(RETRY_CAP_MS);
    expect(retryDelay(1_000, () => 0)).to.equal(RETRY_CAP_MS / 2);
  });
});
