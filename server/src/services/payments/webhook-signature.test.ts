import { expect } from "chai";
import { signWebhook, webhookSignatureProblem } from "./webhook-signature.js";

describe("payment webhook signatures", () => {
  const secret = "s3cret-s3cret-s3cret";
  const body = Buffer.from('{"id":"evt_1","type":"checkout.completed"}');
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);

  it("accepts its own signature over the exact body", () => {
    expect(webhookSignatureProblem(secret, signWebhook(secret, body, now), body, now)).to.equal(undefined);
  });

  it("refuses a changed body, another secret, a stale timestamp and malformed headers", () => {
    const header = signWebhook(secret, body, now);
    const changed = Buffer.from(body.toString().replace("evt_1", "evt_2"));
    expect(webhookSignatureProblem(secret, header, changed, now)).to.equal("signature does not match");
    expect(webhookSignatureProblem("another-secret-value", header, body, now)).to.equal(
      "signature does not match",
    );
    expect(webhookSignatureProblem(secret, header, body, now + 301_000)).to.match(/tolerance/);
    expect(webhookSignatureProblem(secret, undefined, body, now)).to.equal("no signature");
    expect(webhookSignatureProblem(secret, "t=abc,v1=00", body, now)).to.equal("malformed signature");
  });
});
