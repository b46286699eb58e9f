/** Customers and their management teams (issue 5, first part). */
import { expect } from "chai";
import type { CustomerView } from "../protocol/callsign/customers.js";
import { ext, guest, subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("customers", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start();
  });
  after(() => net?.close());

  it("lets any account create a customer, with an owner who manages the team", async () => {
    const url = net.baseUrl;
    const owner = await subscriber(url);
    const manager = await subscriber(url);
    const outsider = await subscriber(url);
    const created = await ext<CustomerView>(url, "POST", "/customers", owner.access_token, {
      name: "Acme Ltd",
    });
    expect(created.status).to.equal(200);
    expect(created.body).to.include({ name: "Acme Ltd", kind: "company" });
    expect(created.body.team.map((m) => [m.user_id, m.role])).to.deep.equal([[owner.user_id, "owner"]]);
    const id = created.body.customer_id;

    const added = await ext<CustomerView>(url, "POST", `/customers/${id}/team`, owner.access_token, {
      handle: manager.email,
    });
    expect(added.body.team.map((m) => m.role)).to.deep.equal(["owner", "manager"]);
    const seen = await ext<{ customers: CustomerView[] }>(url, "GET", "/customers", manager.access_token);
    expect(seen.body.customers.map((c) => c.customer_id)).to.deep.equal([id]);

    const peek = await ext(url, "GET", `/customers/${id}`, outsider.access_token);
    expect([peek.status, peek.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);
    const byManager = await ext(url, "POST", `/customers/${id}/team`, manager.access_token, {
      handle: outsider.number,
    });
    expect([byManager.status, byManager.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    const removeOwner = await ext(
      url,
      "DELETE",
      `/customers/${id}/team/${encodeURIComponent(owner.user_id)}`,
      owner.access_token,
    );
    expect([removeOwner.status, removeOwner.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    const unknown = await ext(url, "POST", `/customers/${id}/team`, owner.access_token, {
      handle: "nobody@example.test",
    });
    expect([unknown.status, unknown.body.errcode]).to.deep.equal([404, "IO_CALLSIGN_UNKNOWN_HANDLE"]);

    // A manager may leave.
    const leave = await ext(
      url,
      "DELETE",
      `/customers/${id}/team/${encodeURIComponent(manager.user_id)}`,
      manager.access_token,
    );
    expect(leave.status).to.equal(200);
    expect(
      (await ext<{ customers: CustomerView[] }>(url, "GET", "/customers", manager.access_token)).body
        .customers,
    ).to.deep.equal([]);

    const g = await guest(url);
    const byGuest = await ext(url, "POST", "/customers", g.access_token, { name: "Nope" });
    expect([byGuest.status, byGuest.body.errcode]).to.deep.equal([403, "M_GUEST_ACCESS_FORBIDDEN"]);
  });
});
