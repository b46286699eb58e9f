/**
 * A service's SIP trunk to its company's PBX (issue 7 item 7, configuration): the management
 * team sets, reads and removes it; the password is sealed in the database and never shown
 * again; operators and strangers are refused; bad input gets a clear 400.
 */
import { expect } from "chai";
import type { SipTrunkView } from "../protocol/callsign/sip.js";
import { Sealer } from "../server/src/crypto/sealer.js";
import { ext, subscriber } from "./helpers/calls.js";
import { ServiceKit } from "./helpers/services.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("SIP trunks of services", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  let url: string;
  before(async () => {
    net = await TestNetwork.start();
    url = net.baseUrl;
  });
  after(() => net?.close());

  it("is set, read and removed by the management team, with the password sealed and never shown", async () => {
    const op = await subscriber(url, { online: true });
    const kit = await ServiceKit.start(url, "PBX Co");
    const desk = await kit.service([op]);
    const path = `/services/${desk.service_id}/sip-trunk`;
    const none = await ext(url, "GET", path, kit.owner.access_token);
    expect([none.status, none.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);

    const set = await ext<SipTrunkView>(url, "PUT", path, kit.owner.access_token, {
      uri: "sip:desk@pbx.example.test",
      proxy: "sip:10.0.0.5:5060",
      username: "callsign",
      password: "s3cret-pbx-pass",
      mode: "after",
      after_s: 20,
    });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body).to.include({
      uri: "sip:desk@pbx.example.test",
      proxy: "sip:10.0.0.5:5060",
      username: "callsign",
      has_password: true,
      mode: "after",
      after_s: 20,
      accept_calls: false,
      line: "sip:callsign@pbx.example.test",
    });
    expect(JSON.stringify(set.body)).not.to.include("s3cret");
    const [row] = await net.query<{ password_sealed: string }>(
      "SELECT password_sealed FROM sip_trunks WHERE service_id = $1",
      [desk.service_id],
    );
    expect(row!.password_sealed).not.to.include("s3cret");
    // Sealed under the server secret for this purpose only.
    const sealer = new Sealer(net.env.CALLSIGN_SECRET!, "callsign sip trunks");
    expect(sealer.open(row!.password_sealed).toString()).to.equal("s3cret-pbx-pass");
    expect(() =>
      new Sealer(net.env.CALLSIGN_SECRET!, "callsign server keys").open(row!.password_sealed),
    ).to.throw();
    const opened = await net.servers[0]!.homeserver!.ctx.sipTrunks.account(desk.service_id);
    expect(opened).to.include({
      uri: "sip:desk@pbx.example.test",
      password: "s3cret-pbx-pass",
      mode: "after",
    });

    // Saved again without the password: the kept one stays for the same username, not for another.
    const kept = await ext<SipTrunkView>(url, "PUT", path, kit.owner.access_token, {
      uri: "sip:sales@pbx.example.test",
      username: "callsign",
      mode: "instead",
    });
    expect(kept.body).to.include({ has_password: true, mode: "instead", after_s: null, proxy: null });
    const other = await ext<SipTrunkView>(url, "PUT", path, kit.owner.access_token, {
      uri: "sip:sales@pbx.example.test",
      username: "someone-else",
      mode: "instead",
    });
    expect(other.body.has_password).to.equal(false);

    // The service's operator is not on the management team: to them the trunk is not there.
    const refused = await ext(url, "PUT", path, op.access_token, {
      uri: "sip:x@evil.example.test",
      mode: "instead",
    });
    expect([refused.status, refused.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);
    const gone = await ext(url, "DELETE", path, kit.owner.access_token);
    expect(gone.status).to.equal(200);
    expect((await ext(url, "DELETE", path, kit.owner.access_token)).status).to.equal(404);
  });

  it("refuses a trunk it could not use, naming the field", async () => {
    const kit = await ServiceKit.start(url, "Bad PBX Co");
    const desk = await kit.service();
    const path = `/services/${desk.service_id}/sip-trunk`;
    const cases: [Record<string, unknown>, string][] = [
      [{ uri: "desk@pbx.example.test", mode: "instead" }, "uri"],
      [{ uri: "sip:desk@pbx.example.test", mode: "after" }, "after_s"],
      [{ uri: "sip:desk@pbx.example.test", mode: "instead", after_s: 30 }, "after_s"],
      [{ uri: "sip:desk@pbx.example.test", mode: "sometimes" }, "mode"],
      [{ uri: "sip:desk@pbx.example.test", mode: "instead", password: "x" }, "password"],
      [{ uri: "sip:desk@pbx.example.test", mode: "instead", proxy: "pbx.example.test" }, "proxy"],
      [{ uri: "sip:desk@pbx.example.test", mode: "instead", accept_calls: true }, "accept_calls"],
      [{ uri: "sip:desk@pbx.example.test", mode: "instead", accept_calls: "yes" }, "accept_calls"],
    ];
    for (const [body, field] of cases) {
      const res = await ext(url, "PUT", path, kit.owner.access_token, body);
      expect([res.status, res.body.errcode], JSON.stringify(body)).to.deep.equal([400, "M_BAD_JSON"]);
      expect(res.body.error, JSON.stringify(body)).to.include(field);
    }
    // Registering needs a password, and none is given or kept.
    const unregistrable = await ext(url, "PUT", path, kit.owner.access_token, {
      uri: "sip:desk@pbx.example.test",
      username: "callsign",
      mode: "instead",
      accept_calls: true,
    });
    expect([unregistrable.status, unregistrable.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
    expect(unregistrable.body.error).to.include("password");
    expect(
      await net.query("SELECT 1 FROM sip_trunks WHERE service_id = $1", [desk.service_id]),
    ).to.deep.equal([]);
  });
});
