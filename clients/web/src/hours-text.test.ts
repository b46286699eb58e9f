import { expect } from "chai";
import { OperatingHours } from "../../../protocol/callsign/services.js";
import { draftOf, wireOf } from "./hours-text.js";

describe("operating hours in the editor", () => {
  it("starts a service open always from Monday to Friday, 9 to 5, in the given zone", () => {
    const draft = draftOf(null, "Europe/Lisbon");
    expect(draft.time_zone).to.equal("Europe/Lisbon");
    expect(draft.weekly.mon).to.deep.equal([["09:00", "17:00"]]);
    expect(draft.weekly.sat).to.deep.equal([]);
    expect(wireOf(draft).weekly).to.have.all.keys("mon", "tue", "wed", "thu", "fri");
  });

  it("shows an end of 24:00 as 00:00 and sends it back as 24:00, leaving closed days out", () => {
    const hours = OperatingHours.parse({
      time_zone: "UTC",
      weekly: { fri: [["09:00", "24:00"]] },
      exceptions: [{ date: "2026-12-25", periods: [] }],
    });
    const draft = draftOf(hours, "Europe/Lisbon");
    expect(draft.weekly.fri).to.deep.equal([["09:00", "00:00"]]);
    expect(draft.weekly.mon).to.deep.equal([]);
    const wire = wireOf(draft);
    expect(wire).to.deep.equal(hours);
    expect(OperatingHours.safeParse(wire).success).to.equal(true);
  });

  it("sends what was typed, even a zone the server will refuse", () => {
    const draft = draftOf(null, "UTC");
    draft.time_zone = " Atlantis/Capital ";
    expect(wireOf(draft).time_zone).to.equal("Atlantis/Capital");
    expect(OperatingHours.safeParse(wireOf(draft)).success).to.equal(false);
  });
});
