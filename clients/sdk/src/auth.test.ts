import { expect } from "chai";
import { loginIdentifier, numberOf } from "./auth.js";
import { solveCaptcha } from "./captcha.js";
import { CaptchaService } from "../../../server/src/services/captcha.js";

describe("client SDK helpers", () => {
  it("picks the login identifier from what a person typed", () => {
    expect(loginIdentifier(" 100000042 ")).to.deep.equal({
      type: "io.callsign.id.number",
      number: "100000042",
    });
    expect(loginIdentifier("ann@example.org")).to.deep.equal({
      type: "m.id.thirdparty",
      medium: "email",
      address: "ann@example.org",
    });
    expect(loginIdentifier("ann")).to.deep.equal({ type: "m.id.user", user: "ann" });
    expect(loginIdentifier("@ann:example.org")).to.deep.equal({
      type: "m.id.user",
      user: "@ann:example.org",
    });
    expect(loginIdentifier("12345")).to.deep.equal({ type: "m.id.user", user: "12345" });
  });

  it("reads the number out of a user ID", () => {
    expect(numberOf("@100000001:example.org")).to.equal("100000001");
    expect(numberOf("@guest-abc:example.org")).to.equal(undefined);
  });

  it("solves a server captcha with WebCrypto so that the server accepts the answer", async () => {
    const verified: string[] = [];
    // The one-row "used" table the service needs, kept in memory.
    const used = {
      query: async (_sql: string, params?: unknown[]) => {
        verified.push(String(params?.[0]));
        return [{ challenge_id: params?.[0] }];
      },
    };
    const service = new CaptchaService("s".repeat(32), used as never);
    const challenge = service.create();
    const response = await solveCaptcha(challenge);
    const solution = CaptchaService.decode(response)!;
    expect(solution.number).to.equal(CaptchaService.solve(challenge));
    expect(await service.verify(solution)).to.equal(true);
    expect(verified).to.deep.equal([challenge.challenge]);
  });
});
