import { expect } from "chai";
import { OperatingHours } from "../../../../protocol/callsign/services.js";
import { isOpen, localTime } from "./hours.js";

describe("operating hours", () => {
  const hours = OperatingHours.parse({
    time_zone: "America/New_York",
    weekly: {
      mon: [
        ["09:00", "12:30"],
        ["13:30", "17:00"],
      ],
      sat: [["10:00", "24:00"]],
    },
    exceptions: [
      { date: "2026-12-07", periods: [] },
      { date: "2026-12-06", periods: [["08:00", "09:00"]] },
    ],
  });

  it("reads the wall clock in the service's time zone", () => {
    // 2026-11-23 is a Monday; 14:00 UTC is 09:00 in New York (EST, UTC-5).
    expect(localTime(new Date("2026-11-23T14:00:00Z"), "America/New_York")).to.deep.equal({
      date: "2026-11-23",
      weekday: "mon",
      clock: "09:00",
    });
    // Across midnight: 03:00 UTC on Tuesday is still Monday 22:00 in New York.
    expect(localTime(new Date("2026-11-24T03:00:00Z"), "America/New_York").weekday).to.equal("mon");
  });

  it("opens within the periods of the weekday, from inclusive, to exclusive", () => {
    const at = (iso: string) => isOpen(hours, new Date(iso));
    expect(at("2026-11-23T13:59:00Z")).to.equal(false); // Mon 08:59
    expect(at("2026-11-23T14:00:00Z")).to.equal(true); // Mon 09:00
    expect(at("2026-11-23T17:30:00Z")).to.equal(false); // Mon 12:30, the lunch break
    expect(at("2026-11-23T21:59:00Z")).to.equal(true); // Mon 16:59
    expect(at("2026-11-23T22:00:00Z")).to.equal(false); // Mon 17:00
    expect(at("2026-11-24T15:00:00Z")).to.equal(false); // Tuesday: not listed, closed
    expect(at("2026-11-29T04:30:00Z")).to.equal(true); // Sat 23:30, open to midnight
  });

  it("lets an exception date replace its weekday, and null hours mean always open", () => {
    expect(isOpen(hours, new Date("2026-12-07T15:00:00Z"))).to.equal(false); // a Monday, closed
    expect(isOpen(hours, new Date("2026-12-06T13:30:00Z"))).to.equal(true); // a Sunday, 08:30
    expect(isOpen(null, new Date())).to.equal(true);
  });

  it("refuses an unknown time zone and periods that end before they start", () => {
    expect(OperatingHours.safeParse({ time_zone: "Mars/Olympus", weekly: {} }).success).to.equal(false);
    expect(
      OperatingHours.safeParse({ time_zone: "UTC", weekly: { mon: [["12:00", "09:00"]] } }).success,
    ).to.equal(false);
    expect(
      OperatingHours.safeParse({ time_zone: "UTC", weekly: { mon: [["9:00", "17:00"]] } }).success,
    ).to.equal(false);
  });
});
