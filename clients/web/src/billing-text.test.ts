import { expect } from "chai";
import type { PlanView, SubscriptionView } from "../../../protocol/callsign/billing.js";
import { ProtocolError } from "../../../protocol/errors.js";
import {
  callLengthText,
  ledgerAmountText,
  ledgerPurposeText,
  nextDeadline,
  planLimitError,
  planText,
  subscriptionWarning,
} from "./billing-text.js";
import { describeError } from "./errors.js";

const mini: PlanView = {
  plan: "mini",
  monthly_cents: 1000,
  currency: "EUR",
  modes: ["shared"],
  max_operators: 1,
  max_call_minutes: 0.05,
};
const sub = (state: SubscriptionView["state"]): SubscriptionView => ({
  service_id: "s_1",
  plan: mini,
  state,
  trial_end: 1000,
  period_end: state === "active" ? 5000 : null,
  pause_at: state === "past_due" ? 3000 : null,
  events: [],
});

describe("plans and payments in words", () => {
  it("puts a plan's price and limits in one line", () => {
    expect(planText(mini, "en-US")).to.equal(
      "€10.00 a month · shared queue · 1 operator online at once · calls up to 3 seconds",
    );
    const big = { ...mini, modes: ["shared", "auto"], max_operators: 3, max_call_minutes: 120 } as PlanView;
    expect(planText(big, "en-US")).to.match(/shared or automatic distribution · 3 operators .* 2 hours$/);
    expect(callLengthText(30)).to.equal("30 minutes");
  });

  it("warns when the service is past due or paused, and knows when it moves on by itself", () => {
    expect(subscriptionWarning(sub("trialing"))).to.equal(null);
    expect(subscriptionWarning(sub("past_due"))).to.match(/^Payment overdue: .* then it is paused/);
    expect(subscriptionWarning(sub("paused"))).to.match(/^Paused: callers are told/);
    expect([sub("trialing"), sub("active"), sub("past_due"), sub("paused")].map(nextDeadline)).to.deep.equal([
      1000,
      5000,
      3000,
      null,
    ]);
  });

  it("says what a ledger row paid for, a refund negative", () => {
    const entry = {
      kind: "refund",
      purpose: "invoice:in_abc",
      amount_cents: 1000,
      currency: "EUR",
    } as Parameters<typeof ledgerAmountText>[0];
    expect(ledgerPurposeText(entry)).to.equal("Invoice in_abc");
    expect(ledgerPurposeText({ ...entry, purpose: "name:acme" })).to.equal("Name acme");
    expect(ledgerAmountText(entry, "en-US")).to.equal("−€10.00");
  });

  it("explains a refusal by the plan, keeping the errcode and extra fields", () => {
    const limit = new ProtocolError(
      "IO_CALLSIGN_PLAN_LIMIT",
      "The mini plan does not include auto distribution",
      {
        max_operators: 1,
      },
    );
    const explained = planLimitError(limit, "Choose a bigger plan.");
    expect(describeError(explained)).to.equal(
      "IO_CALLSIGN_PLAN_LIMIT: The mini plan does not include auto distribution. Choose a bigger plan.",
    );
    expect((explained as ProtocolError).extra).to.deep.equal({ max_operators: 1 });
    const other = new ProtocolError("M_FORBIDDEN", "no");
    expect(planLimitError(other, "x")).to.equal(other);
  });
});
