import { expect } from "chai";
import type { CallView, HandleView, PartyView } from "../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { describeError } from "./errors.js";
import { calleeStatus, operatorError, roleIn, serviceOf } from "./call-text.js";

const party = (user_id: string, is_service = false): PartyView => ({
  user_id,
  display_name: is_service ? "Acme Sales" : null,
  is_guest: false,
  is_service,
});

describe("calls in words", () => {
  it("puts the operator who answered for a service on the callee's side", () => {
    const call = {
      caller: party("@100000003:a"),
      callee: party("@100000002:a", true),
      operator: party("@100000001:a"),
    } as CallView;
    expect(roleIn(call, "@100000001:a")).to.equal("callee");
    expect(roleIn(call, "@100000003:a")).to.equal("caller");
    expect(serviceOf(call)?.display_name).to.equal("Acme Sales");
    expect(serviceOf({ ...call, callee: party("@100000002:a") })).to.equal(null);
  });

  it("tells an operator why a take failed, keeping the errcode", () => {
    const call = { callee: party("@100000002:a", true) } as CallView;
    const taken = operatorError(
      new ProtocolError("IO_CALLSIGN_ALREADY_TAKEN", "taken", { operator: "@x:a" }),
      call,
    );
    expect(describeError(taken)).to.equal(
      "IO_CALLSIGN_ALREADY_TAKEN: Another operator took this call first; it has left your queue.",
    );
    expect((taken as ProtocolError).extra).to.deep.equal({ operator: "@x:a" });
    expect(describeError(operatorError(new ProtocolError("IO_CALLSIGN_NOT_ONLINE", "x"), call))).to.match(
      /^IO_CALLSIGN_NOT_ONLINE: You are offline for Acme Sales: switch it Online/,
    );
    const other = new ProtocolError("IO_CALLSIGN_NOT_HEAD", "Only the first call");
    expect(operatorError(other, call)).to.equal(other);
  });

  it("says whether a callee takes calls now: paused before closed before online", () => {
    const view = { online: true, open: true, paused: false } as HandleView;
    expect(calleeStatus(view)).to.deep.equal({ state: "online", text: "Online" });
    expect(calleeStatus({ ...view, online: false }).state).to.equal("offline");
    expect(calleeStatus({ ...view, online: false, open: false })).to.deep.equal({
      state: "closed",
      text: "Closed now: you can leave a message",
    });
    expect(calleeStatus({ ...view, online: false, open: false, paused: true })).to.deep.equal({
      state: "paused",
      text: "Not taking calls (unpaid)",
    });
  });
});
