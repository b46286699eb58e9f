import { expect } from "chai";
import { callClockText, durationText, linkQuality, qualityText } from "./media-text.js";

describe("call media in words", () => {
  it("rates a link by its loss and round-trip time", () => {
    expect(linkQuality({ rtt: null, received: 0, lost: 0 })).to.equal(null);
    expect(linkQuality({ rtt: 0.02, received: 0, lost: 0 })).to.equal("good");
    expect(linkQuality({ rtt: 0.05, received: 990, lost: 10 })).to.equal("good");
    expect(linkQuality({ rtt: 0.05, received: 480, lost: 30 })).to.equal("fair");
    expect(linkQuality({ rtt: 0.4, received: 500, lost: 0 })).to.equal("fair");
    expect(linkQuality({ rtt: 0.05, received: 400, lost: 100 })).to.equal("poor");
    expect(linkQuality({ rtt: 0.9, received: 500, lost: 0 })).to.equal("poor");
  });

  it("says what the rating rests on", () => {
    expect(qualityText(null)).to.equal("Connecting…");
    expect(qualityText("fair", { rtt: 0.0514, received: 480, lost: 30 })).to.equal(
      "Fair connection (51 ms, 5.9 % lost)",
    );
    expect(qualityText("good", { rtt: null, received: 10, lost: 0 })).to.equal(
      "Good connection (0.0 % lost)",
    );
  });

  it("shows the call's clock, with the plan's longest call when known", () => {
    expect(durationText(0)).to.equal("0:00");
    expect(durationText(65_400)).to.equal("1:05");
    expect(durationText(3_723_000)).to.equal("1:02:03");
    expect(durationText(-5)).to.equal("0:00");
    expect(callClockText(65_000, 1800)).to.equal("1:05 of 30:00");
    expect(callClockText(65_000, 3)).to.equal("1:05 of 0:03");
    expect(callClockText(65_000, null)).to.equal("1:05");
  });
});
