import { expect } from "chai";
import type { ServiceTransferView } from "../../../protocol/callsign/services.js";
import { offerDatesText, offerState, operatorsOnlineText } from "./services-text.js";

const offer = (
  state: ServiceTransferView["state"],
  decided_at: number | null = null,
): ServiceTransferView => ({
  offer_id: "t_1",
  service_id: "s_1",
  display_name: "Acme Sales",
  handle: "acmesales",
  from_customer: { customer_id: "c_1", name: "Acme" },
  to_user: "@100000002:a",
  to_customer: null,
  state,
  note: null,
  offered_by: "@100000001:a",
  offered_at: Date.UTC(2026, 2, 3, 10),
  expires_at: Date.UTC(2026, 2, 10, 10),
  decided_by: null,
  decided_at,
});

describe("services in words", () => {
  it("counts operators online", () => {
    expect(operatorsOnlineText(0, 0)).to.equal("No operators yet");
    expect(operatorsOnlineText(1, 2)).to.equal("1 of 2 operators online");
  });

  it("calls an open offer past its expiry expired, and dates every offer", () => {
    const before = Date.UTC(2026, 2, 5);
    const after = Date.UTC(2026, 2, 11);
    expect(offerState(offer("offered"), before)).to.equal("offered");
    expect(offerState(offer("offered"), after)).to.equal("expired");
    expect(offerState(offer("declined", before), after)).to.equal("declined");
    expect(offerDatesText(offer("offered"), before, "en-GB")).to.match(/^Offered .* · open until /);
    expect(offerDatesText(offer("offered"), after, "en-GB")).to.match(/ · expired /);
    expect(offerDatesText(offer("accepted", before), after, "en-GB")).to.match(/ · accepted /);
  });
});
