/**
 * Webcam services (issue 5), where calls go: transfer with its hops and the operator's targets,
 * automatic distribution, routing by topic, domain addresses given to services, and moving a
 * whole service (with its id) to another customer.
 */
import { expect } from "chai";
import type { CallView } from "../protocol/callsign/calls.js";
import type { CustomerView } from "../protocol/callsign/customers.js";
import type { DomainView } from "../protocol/callsign/domains.js";
import type { ServiceTransferView, ServiceView, TransferTargetsView } from "../protocol/callsign/services.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { ServiceKit } from "./helpers/services.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("Webcam services — where calls go", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  let owner: Subscriber;
  let customerId: string;
  let kit: ServiceKit;
  before(async () => {
    net = await TestNetwork.start();
    url = net.baseUrl;
    kit = await ServiceKit.start(url, "Acme");
    ({ owner, customerId } = kit);
  });
  after(() => net?.close());

  const service = (operators: Subscriber[] = []) => kit.service(operators);
  const queueOf = (op: Subscriber) => kit.queueOf(op);

  it("transfers a waiting or answered call to another service or operator with a note, keeping the call and its hops", async () => {
    const [front, sales, expert] = [
      await subscriber(url, { online: true }),
      await subscriber(url, { online: true }),
      await subscriber(url, { online: true }),
    ];
    const reception = await service([front]);
    const salesDesk = await service([sales, expert]);
    const caller = await subscriber(url);
    const placed = (
      await placeCall(url, caller.access_token, { handle: reception.handle, topic: "buy 10 seats" })
    ).body;

    // Answered at reception, then sent on to sales with a note.
    await ext(url, "POST", `/calls/${placed.call_id}/take`, front.access_token);
    const moved = await ext<CallView>(url, "POST", `/calls/${placed.call_id}/transfer`, front.access_token, {
      service_id: salesDesk.service_id,
      note: "wants a volume discount",
    });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    expect(moved.body).to.include({
      call_id: placed.call_id,
      room_id: placed.room_id,
      topic: "buy 10 seats",
    });
    expect([moved.body.state, moved.body.position, moved.body.operator]).to.deep.equal(["queued", 1, null]);
    expect(moved.body.callee.user_id).to.equal(salesDesk.user_id);
    expect(moved.body.hops.map((h) => [h.from.user_id, h.to.user_id, h.by.user_id, h.note])).to.deep.equal([
      [reception.user_id, salesDesk.user_id, front.user_id, "wants a volume discount"],
    ]);
    const membership = async (userId: string) =>
      (
        await net.query(
          `SELECT membership FROM current_state WHERE room_id = $1 AND type = 'm.room.member' AND state_key = $2`,
          [placed.room_id, userId],
        )
      )[0]?.membership;
    expect(await membership(front.user_id)).to.equal("leave");
    expect(await membership(caller.user_id)).to.equal("join");
    expect(moved.body.service_id).to.equal(salesDesk.service_id);
    // The operator who moved it still sees where it went.
    const after = await ext<CallView>(url, "GET", `/calls/${placed.call_id}`, front.access_token);
    expect([after.status, after.body.callee.user_id]).to.deep.equal([200, salesDesk.user_id]);
    const targets = await ext<TransferTargetsView>(
      url,
      "GET",
      `/services/${reception.service_id}/transfer-targets`,
      front.access_token,
    );
    expect(targets.body.services.map((t) => t.service_id)).to.include(salesDesk.service_id);
    expect(targets.body.services.map((t) => t.service_id)).to.not.include(reception.service_id);
    expect(targets.body.operators.map((o) => o.user_id)).to.include.members([sales.user_id, expert.user_id]);
    const notMine = await ext(
      url,
      "GET",
      `/services/${reception.service_id}/transfer-targets`,
      caller.access_token,
    );
    expect(notMine.status).to.equal(404);
    expect(await membership(sales.user_id)).to.equal("invite");
    expect((await queueOf(sales)).map((c) => c.call_id)).to.deep.equal([placed.call_id]);
    expect(await queueOf(front)).to.deep.equal([]);
    // The caller sees where the call went through their room's state.
    const seen = await ext<CallView>(url, "GET", `/calls/${placed.call_id}`, caller.access_token);
    expect(seen.body.hops).to.have.length(1);

    // Waiting at sales, sent to one operator personally; the others' invites are withdrawn.
    const personal = await ext<CallView>(
      url,
      "POST",
      `/calls/${placed.call_id}/transfer`,
      sales.access_token,
      {
        user_id: expert.user_id,
        note: "enterprise",
      },
    );
    expect([personal.body.state, personal.body.callee.user_id, personal.body.hops.length]).to.deep.equal([
      "queued",
      expert.user_id,
      2,
    ]);
    expect(await membership(sales.user_id)).to.equal("leave");
    const taken = await ext<CallView>(url, "POST", `/calls/${placed.call_id}/take`, expert.access_token);
    expect(taken.body.state).to.equal("answered");

    // Only the same customer's services and operators; the caller cannot transfer.
    const otherCustomer = (
      await ext<CustomerView>(url, "POST", "/customers", caller.access_token, { name: "Other" })
    ).body.customer_id;
    const foreign = (
      await ext<ServiceView>(url, "POST", `/customers/${otherCustomer}/services`, caller.access_token, {
        service_id: `otherdesk${Date.now() % 100000}`,
        display_name: "Other",
      })
    ).body;
    const away = await ext(url, "POST", `/calls/${placed.call_id}/transfer`, expert.access_token, {
      service_id: foreign.service_id,
    });
    expect([away.status, away.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);
    const byCaller = await ext(url, "POST", `/calls/${placed.call_id}/transfer`, caller.access_token, {
      service_id: reception.service_id,
    });
    expect(byCaller.status).to.equal(403);
    const both = await ext(url, "POST", `/calls/${placed.call_id}/transfer`, expert.access_token, {
      service_id: reception.service_id,
      user_id: front.user_id,
    });
    expect([both.status, both.body.errcode]).to.deep.equal([400, "M_BAD_JSON"]);
  });

  it("distributes automatically: one free operator at a time, least recently offered first, moving on after the offer's time-out", async () => {
    const [a, b] = [await subscriber(url, { online: true }), await subscriber(url, { online: true })];
    const s = await service([a, b]);
    const shared = await ext(url, "PUT", `/services/${s.service_id}/distribution`, owner.access_token, {
      mode: "auto",
      offer_timeout_s: 5,
    });
    // The trial's plan has the shared queue only.
    expect([shared.status, shared.body.errcode]).to.deep.equal([403, "IO_CALLSIGN_PLAN_LIMIT"]);
    await ext(url, "PUT", `/services/${s.service_id}/subscription`, owner.access_token, { plan: "team" });
    const auto = await ext<ServiceView>(
      url,
      "PUT",
      `/services/${s.service_id}/distribution`,
      owner.access_token,
      {
        mode: "auto",
        offer_timeout_s: 5,
      },
    );
    expect(auto.body.distribution).to.deep.equal({ mode: "auto", offer_timeout_s: 5 });

    const invited = async (roomId: string) =>
      (
        await net.query<{ state_key: string }>(
          `SELECT state_key FROM current_state WHERE room_id = $1 AND type = 'm.room.member' AND membership = 'invite'`,
          [roomId],
        )
      ).map((m) => m.state_key);
    const first = (
      await placeCall(url, (await subscriber(url)).access_token, { handle: s.handle, topic: "one" })
    ).body;
    // Offered to one operator only: the first added (nobody was offered anything yet).
    expect(await invited(first.room_id)).to.deep.equal([a.user_id]);
    expect((await queueOf(a)).map((c) => c.call_id)).to.deep.equal([first.call_id]);
    expect(await queueOf(b)).to.deep.equal([]);
    const grab = await ext(url, "POST", `/calls/${first.call_id}/take`, b.access_token);
    expect([grab.status, grab.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_NOT_OFFERED"]);

    // A second call goes to the other free operator.
    const second = (
      await placeCall(url, (await subscriber(url)).access_token, { handle: s.handle, topic: "two" })
    ).body;
    expect(await invited(second.room_id)).to.deep.equal([b.user_id]);
    await ext(url, "POST", `/calls/${second.call_id}/take`, b.access_token);

    // Nobody takes the first offer: after 5 s it moves on — to a again, the only free operator,
    // with a new offer; once b is free, the next waiting call goes to b.
    await until("the offer moved on", async () => {
      const [row] = await net.query<{ offer_seq: number }>(`SELECT offer_seq FROM calls WHERE call_id = $1`, [
        first.call_id,
      ]);
      return row!.offer_seq > 1 ? true : undefined;
    });
    expect(await invited(first.room_id)).to.deep.equal([a.user_id]);
    const third = (
      await placeCall(url, (await subscriber(url)).access_token, { handle: s.handle, topic: "three" })
    ).body;
    expect(await invited(third.room_id)).to.deep.equal([]);
    await ext(url, "POST", `/calls/${second.call_id}/end`, b.access_token);
    expect(await invited(third.room_id)).to.deep.equal([b.user_id]);
    const taken = await ext<CallView>(url, "POST", `/calls/${first.call_id}/take`, a.access_token);
    expect(taken.body.state).to.equal("answered");
    // A plan without automatic distribution brings the service back to the shared queue.
    await ext(url, "PUT", `/services/${s.service_id}/subscription`, owner.access_token, { plan: "basic" });
    const back = await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, owner.access_token);
    expect(back.body.distribution.mode).to.equal("shared");
  });

  it("routes a call by its topic's keywords to another service of the customer", async () => {
    const op = await subscriber(url, { online: true });
    const reception = await service([op]);
    const billing = await service([op]);
    const routed = await ext<ServiceView>(
      url,
      "PUT",
      `/services/${reception.service_id}/routes`,
      owner.access_token,
      {
        routes: [{ keywords: ["Invoice", "billing"], service_id: billing.service_id }],
      },
    );
    expect(routed.body.routes).to.deep.equal([
      { keywords: ["invoice", "billing"], service_id: billing.service_id },
    ]);
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, {
      handle: reception.handle,
      topic: "A question about my INVOICE, please",
    });
    expect([call.body.state, call.body.callee.user_id]).to.deep.equal(["queued", billing.user_id]);
    expect(call.body.hops.map((h) => [h.from.user_id, h.to.user_id, h.note])).to.deep.equal([
      [reception.user_id, billing.user_id, 'routed by the topic\'s keyword "invoice"'],
    ]);
    // Whole words only; other topics stay.
    const stays = await placeCall(url, (await subscriber(url)).access_token, {
      handle: reception.handle,
      topic: "invoices2024 hello",
    });
    expect(stays.body.callee.user_id).to.equal(reception.user_id);
    const foreignCustomer = (
      await ext<CustomerView>(url, "POST", "/customers", op.access_token, { name: "Op Inc" })
    ).body.customer_id;
    const foreign = (
      await ext<ServiceView>(url, "POST", `/customers/${foreignCustomer}/services`, op.access_token, {
        service_id: `foreigndesk${Date.now() % 100000}`,
        display_name: "Foreign",
      })
    ).body;
    const bad = await ext(url, "PUT", `/services/${reception.service_id}/routes`, owner.access_token, {
      routes: [{ keywords: ["x"], service_id: foreign.service_id }],
    });
    expect([bad.status, bad.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
  });

  it("transfers a service and its id to another customer: the owner offers, the recipient accepts, both logged", async () => {
    const op = await subscriber(url, { online: true });
    const s = await service([op]);
    const buyer = await subscriber(url);
    const beta = (await ext<CustomerView>(url, "POST", "/customers", buyer.access_token, { name: "Beta" }))
      .body;
    const manager = await subscriber(url);
    await ext(url, "POST", `/customers/${customerId}/team`, owner.access_token, { handle: manager.email });

    const byManager = await ext(url, "POST", `/services/${s.service_id}/transfer`, manager.access_token, {
      to: buyer.email,
    });
    expect([byManager.status, byManager.body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    const offer = await ext<ServiceTransferView>(
      url,
      "POST",
      `/services/${s.service_id}/transfer`,
      owner.access_token,
      {
        to: buyer.email,
        note: "sold with the brand",
      },
    );
    expect(offer.body).to.include({ state: "offered", to_user: buyer.user_id, handle: s.handle });
    expect(offer.body.from_customer).to.deep.equal({ customer_id: customerId, name: "Acme" });
    const twice = await ext(url, "POST", `/services/${s.service_id}/transfer`, owner.access_token, {
      to: buyer.email,
    });
    expect(twice.body.errcode).to.equal("IO_CALLSIGN_BAD_TRANSITION");
    const incoming = await ext<{ offers: ServiceTransferView[] }>(
      url,
      "GET",
      "/service-transfers",
      buyer.access_token,
    );
    expect(incoming.body.offers.map((o) => o.offer_id)).to.deep.equal([offer.body.offer_id]);

    const stranger = await subscriber(url);
    const hijack = await ext(
      url,
      "POST",
      `/service-transfers/${offer.body.offer_id}/accept`,
      stranger.access_token,
      {
        customer_id: beta.customer_id,
      },
    );
    expect(hijack.status).to.equal(404);
    // The recipient accepts into a customer they own (not one they are not on).
    const wrong = await ext(
      url,
      "POST",
      `/service-transfers/${offer.body.offer_id}/accept`,
      buyer.access_token,
      {
        customer_id: customerId,
      },
    );
    expect(wrong.status).to.equal(404);
    const accepted = await ext<ServiceTransferView>(
      url,
      "POST",
      `/service-transfers/${offer.body.offer_id}/accept`,
      buyer.access_token,
      { customer_id: beta.customer_id },
    );
    expect(accepted.body).to.include({
      state: "accepted",
      to_customer: beta.customer_id,
      decided_by: buyer.user_id,
    });

    const now = await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, buyer.access_token);
    expect([now.body.customer_id, now.body.handle, now.body.operators]).to.deep.equal([
      beta.customer_id,
      s.handle,
      [],
    ]);
    expect(now.body.name!.events.at(-1)!.reason).to.match(/service transferred from customer .* \(offer t_/);
    const gone = await ext(url, "GET", `/services/${s.service_id}`, owner.access_token);
    expect(gone.status).to.equal(404);
    const oldOperator = await ext(url, "PUT", `/services/${s.service_id}/online`, op.access_token, {
      online: true,
    });
    expect(oldOperator.status).to.equal(404);
    const again = await ext(
      url,
      "POST",
      `/service-transfers/${offer.body.offer_id}/accept`,
      buyer.access_token,
      {
        customer_id: beta.customer_id,
      },
    );
    expect(again.body.errcode).to.equal("IO_CALLSIGN_BAD_TRANSITION");
    // The sender's log keeps it too.
    const sent = await ext<{ offers: ServiceTransferView[] }>(
      url,
      "GET",
      "/service-transfers",
      owner.access_token,
    );
    expect(sent.body.offers.find((o) => o.offer_id === offer.body.offer_id)?.state).to.equal("accepted");

    // An offer the owner cancels can no longer be declined or accepted.
    const other = await service();
    const second = await ext<ServiceTransferView>(
      url,
      "POST",
      `/services/${other.service_id}/transfer`,
      owner.access_token,
      {
        to: buyer.email,
      },
    );
    const cancelled = await ext<ServiceTransferView>(
      url,
      "POST",
      `/service-transfers/${second.body.offer_id}/cancel`,
      owner.access_token,
    );
    expect(cancelled.body.state).to.equal("cancelled");
    const late = await ext(
      url,
      "POST",
      `/service-transfers/${second.body.offer_id}/decline`,
      buyer.access_token,
    );
    expect(late.body.errcode).to.equal("IO_CALLSIGN_BAD_TRANSITION");
  });

  it("lets the verified holder of a domain give sales@domain and the bare domain to services", async () => {
    const op = await subscriber(url, { online: true });
    const desk = await service([op]);
    const claim = (
      await ext<DomainView>(url, "POST", "/domains", owner.access_token, { domain: "acme-shop.example.test" })
    ).body;
    const early = await ext(url, "POST", `/services/${desk.service_id}/addresses`, owner.access_token, {
      address: "sales@acme-shop.example.test",
    });
    expect(early.body.errcode).to.equal("IO_CALLSIGN_NOT_VERIFIED_OWNER");
    await net.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    await net.dns.set("_callsign.acme-shop.example.test.", "TXT", ["v=callsign1 provider=localhost"]);
    await ext(url, "POST", "/domains/acme-shop.example.test/check", owner.access_token);
    const added = await ext<ServiceView>(
      url,
      "POST",
      `/services/${desk.service_id}/addresses`,
      owner.access_token,
      {
        address: "Sales@Acme-Shop.example.test",
      },
    );
    expect(added.body.addresses).to.deep.equal(["sales@acme-shop.example.test"]);

    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, {
      handle: "sales@acme-shop.example.test",
      topic: "hi",
    });
    expect([call.status, call.body.callee.user_id]).to.deep.equal([200, desk.user_id]);
    // The bare domain still reaches the holder until it is given to a service too.
    const bare = await ext<{ user: { user_id: string } }>(url, "GET", "/handles/acme-shop.example.test");
    expect(bare.body.user.user_id).to.equal(owner.user_id);
    const other = await ext(url, "GET", "/handles/support@acme-shop.example.test");
    expect(other.body.errcode).to.equal("IO_CALLSIGN_UNKNOWN_HANDLE");

    const removed = await ext(
      url,
      "DELETE",
      `/services/${desk.service_id}/addresses/${encodeURIComponent("sales@acme-shop.example.test")}`,
      owner.access_token,
    );
    expect(removed.status).to.equal(200);
    const gone = await ext(url, "GET", "/handles/sales@acme-shop.example.test");
    expect(gone.body.errcode).to.equal("IO_CALLSIGN_UNKNOWN_HANDLE");
  });
});
