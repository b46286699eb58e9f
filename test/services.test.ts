/**
 * Webcam services (issue 5): services with reserved service ids, operators by e-mail with
 * pending invitations, online per service, one shared queue, a merged queue across services,
 * one winner when two operators take the same call, and transfer with its hops.
 */
import { expect } from "chai";
import type { CallView, InboxView } from "../protocol/callsign/calls.js";
import type { CustomerView } from "../protocol/callsign/customers.js";
import type { DomainView } from "../protocol/callsign/domains.js";
import type { DirectoryEntry } from "../protocol/callsign/names.js";
import type {
  OperatedServiceView,
  ServiceTransferView,
  ServiceView,
  TransferTargetsView,
} from "../protocol/callsign/services.js";
import { api, CS, register } from "./helpers/api.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { parseMail, startSmtpServer, type SmtpFixture } from "./helpers/smtp-server.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("Webcam services", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  let owner: Subscriber;
  let customerId: string;
  let smtp: SmtpFixture;
  before(async () => {
    smtp = await startSmtpServer();
    net = await TestNetwork.start({ env: { CALLSIGN_SMTP_URL: smtp.url } });
    url = net.baseUrl;
    owner = await subscriber(url);
    customerId = (await ext<CustomerView>(url, "POST", "/customers", owner.access_token, { name: "Acme" }))
      .body.customer_id;
  });
  after(async () => {
    await net?.close();
    await smtp?.close();
  });

  let seq = 0;
  /** A service of the customer with a free (long) id, and its operators switched online. */
  async function service(operators: Subscriber[] = []): Promise<ServiceView> {
    seq += 1;
    const created = await ext<ServiceView>(
      url,
      "POST",
      `/customers/${customerId}/services`,
      owner.access_token,
      {
        service_id: `acmedesk${seq}x${Date.now() % 100000}`,
        display_name: `Desk ${seq}`,
      },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    for (const op of operators) {
      await ext(url, "POST", `/services/${created.body.service_id}/operators`, owner.access_token, {
        email: op.email,
      });
      await online(op, created.body.service_id, true);
    }
    return created.body;
  }

  const online = async (op: Subscriber, serviceId: string, on: boolean) => {
    const res = await ext<OperatedServiceView>(url, "PUT", `/services/${serviceId}/online`, op.access_token, {
      online: on,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const queueOf = async (op: Subscriber) =>
    (await ext<{ calls: CallView[] }>(url, "GET", "/queue", op.access_token)).body.calls;

  it("reserves the service id through the names rules: free ids at once, priced ones once a team member pays", async () => {
    const manager = await subscriber(url);
    const outsider = await subscriber(url);
    await ext(url, "POST", `/customers/${customerId}/team`, owner.access_token, { handle: manager.email });

    const free = await service();
    expect(free.handle).to.equal(free.name!.name);
    expect(free.name).to.include({ kind: "service", state: "active" });
    const view = await ext(url, "GET", `/handles/${free.handle}`);
    expect(view.body).to.include({ kind: "service" });
    const found = await ext<{ results: DirectoryEntry[] }>(url, "GET", `/directory?q=${free.handle}`);
    expect(found.body.results[0]).to.include({ kind: "service", handle: free.handle, match: "exact" });

    // Four letters cost money: the id is held and the service has no handle until it is paid.
    const priced = await ext<ServiceView>(
      url,
      "POST",
      `/customers/${customerId}/services`,
      owner.access_token,
      {
        service_id: "zqxw",
        display_name: "Short",
      },
    );
    expect([priced.status, priced.body.handle, priced.body.name?.state]).to.deep.equal([200, null, "held"]);
    const unknown = await ext(url, "GET", "/handles/zqxw");
    expect(unknown.body.errcode).to.equal("IO_CALLSIGN_UNKNOWN_HANDLE");
    const notTeam = await ext(url, "POST", "/names/zqxw/pay", outsider.access_token, {
      source: "4242424242424242",
    });
    expect(notTeam.status).to.equal(404);
    const paid = await ext(url, "POST", "/names/zqxw/pay", manager.access_token, {
      source: "4242424242424242",
    });
    expect([paid.status, paid.body.state]).to.deep.equal([200, "active"]);
    const after = await ext<ServiceView>(
      url,
      "GET",
      `/services/${priced.body.service_id}`,
      manager.access_token,
    );
    expect(after.body.handle).to.equal("zqxw");
    const [payment] = await net.query(
      `SELECT payer_id, amount_cents FROM payments WHERE purpose = 'name:zqxw'`,
    );
    expect(payment).to.deep.equal({ payer_id: manager.user_id, amount_cents: 5000 });

    // Taken ids are refused like any name; services are private to the team.
    const taken = await ext(url, "POST", `/customers/${customerId}/services`, owner.access_token, {
      service_id: "zqxw",
      display_name: "Again",
    });
    expect(taken.body.errcode).to.equal("IO_CALLSIGN_NAME_TAKEN");
    const peek = await ext(url, "GET", `/services/${free.service_id}`, outsider.access_token);
    expect([peek.status, peek.body.errcode]).to.deep.equal([404, "M_NOT_FOUND"]);
    const bad = await ext(url, "POST", `/customers/${customerId}/services`, owner.access_token, {
      service_id: "acme desk",
      display_name: "Bad",
    });
    expect([bad.status, bad.body.errcode]).to.deep.equal([400, "IO_CALLSIGN_INVALID_NAME"]);
  });

  it("adds operators by e-mail; an address without an account becomes an operator when that person registers", async () => {
    const existing = await subscriber(url);
    const s = await service();
    const email = `newop-${Date.now()}@example.test`;
    await ext(url, "POST", `/services/${s.service_id}/operators`, owner.access_token, {
      email: existing.email,
    });
    const added = await ext<ServiceView>(
      url,
      "POST",
      `/services/${s.service_id}/operators`,
      owner.access_token,
      {
        email: email.toUpperCase(),
      },
    );
    expect(added.body.operators.map((o) => [o.email, o.status])).to.deep.equal([
      [existing.email, "active"],
      [email, "invited"],
    ]);
    const invalid = await ext(url, "POST", `/services/${s.service_id}/operators`, owner.access_token, {
      email: "not-an-address",
    });
    expect([invalid.status, invalid.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
    // An operator is not on the team: they cannot add operators.
    const byOperator = await ext(url, "POST", `/services/${s.service_id}/operators`, existing.access_token, {
      email: "x@example.test",
    });
    expect(byOperator.status).to.equal(404);

    // Both addresses hear of it: the account holder may sign in, the other is asked to register.
    const mailTo = async (address: string) =>
      parseMail(
        (
          await until(`the e-mail to ${address}`, async () =>
            smtp.received.find((m) => m.rcptTo.includes(address)),
          )
        ).raw,
      );
    expect((await mailTo(existing.email)).text).to.include("Sign in, open Services");
    const invitation = await mailTo(email);
    expect(invitation.subject).to.include(
      `You are invited to answer calls for ${s.display_name} (${s.handle})`,
    );
    expect(invitation.text).to.include("Register with this e-mail address");

    const reg = await register(url, { email });
    expect(reg.status).to.equal(200);
    const now = await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, owner.access_token);
    expect(now.body.operators.find((o) => o.email === email)).to.include({
      status: "active",
      user_id: reg.body.user_id,
    });
    const theirs = await ext<{ services: OperatedServiceView[] }>(
      url,
      "GET",
      "/operating",
      reg.body.access_token,
    );
    expect(theirs.body.services.map((x) => x.service_id)).to.deep.equal([s.service_id]);
    // An operator sees the service, but only themself among its operators.
    const asOperator = await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, reg.body.access_token);
    expect(asOperator.body.operators.map((o) => o.email)).to.deep.equal([email]);
  });

  it("shows every online operator the one service queue; an offline service takes SMS; two takes, one winner", async () => {
    const [a, b] = [await subscriber(url, { online: true }), await subscriber(url, { online: true })];
    const s = await service([a, b]);
    const callers = [await subscriber(url), await subscriber(url)];
    const calls: CallView[] = [];
    for (const [i, c] of callers.entries()) {
      const placed = await placeCall(url, c.access_token, { handle: s.handle, topic: `question ${i}` });
      expect([placed.status, placed.body.state, placed.body.position]).to.deep.equal([200, "queued", i + 1]);
      expect(placed.body.callee).to.include({ user_id: s.user_id, is_service: true });
      calls.push(placed.body);
    }
    for (const op of [a, b]) {
      expect((await queueOf(op)).map((c) => c.call_id)).to.deep.equal(calls.map((c) => c.call_id));
    }
    // Both operators are invited to the call's room (their /sync shows it ringing).
    const members = await net.query(
      `SELECT state_key FROM current_state WHERE room_id = $1 AND type = 'm.room.member' AND membership = 'invite'`,
      [calls[0]!.room_id],
    );
    expect(members.map((m: { state_key: string }) => m.state_key).sort()).to.deep.equal(
      [a.user_id, b.user_id].sort(),
    );

    const notHead = await ext(url, "POST", `/calls/${calls[1]!.call_id}/take`, a.access_token);
    expect(notHead.body.errcode).to.equal("IO_CALLSIGN_NOT_HEAD");
    const [ra, rb] = await Promise.all([
      ext<CallView>(url, "POST", `/calls/${calls[0]!.call_id}/take`, a.access_token),
      ext<CallView>(url, "POST", `/calls/${calls[0]!.call_id}/take`, b.access_token),
    ]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).to.deep.equal([200, 409]);
    const [winner, loser] = ra.status === 200 ? [ra, rb] : [rb, ra];
    expect(loser.body.errcode).to.equal("IO_CALLSIGN_ALREADY_TAKEN");
    expect(winner.body.state).to.equal("answered");
    const winnerId = winner.body.operator!.user_id;
    const after = await net.query(
      `SELECT state_key, membership FROM current_state WHERE room_id = $1 AND type = 'm.room.member' ORDER BY state_key`,
      [calls[0]!.room_id],
    );
    const loserId = winnerId === a.user_id ? b.user_id : a.user_id;
    expect(after.find((m: { state_key: string }) => m.state_key === winnerId).membership).to.equal("join");
    expect(after.find((m: { state_key: string }) => m.state_key === loserId).membership).to.equal("leave");
    // The second caller moved up for both operators.
    const second = await ext<CallView>(url, "GET", `/calls/${calls[1]!.call_id}`, callers[1]!.access_token);
    expect(second.body.position).to.equal(1);

    // An operator offline for the service neither sees its queue nor answers its calls.
    await online(a, s.service_id, false);
    expect(await queueOf(a)).to.deep.equal([]);
    const offlineReply = await ext(url, "POST", `/calls/${calls[1]!.call_id}/reply`, a.access_token, {
      text: "hi",
    });
    expect(offlineReply.body.errcode).to.equal("IO_CALLSIGN_NOT_ONLINE");
    // A stranger does not see the service's calls at all.
    const stranger = await subscriber(url);
    const peek = await ext(url, "GET", `/calls/${calls[1]!.call_id}`, stranger.access_token);
    expect(peek.status).to.equal(404);

    // Nobody online: the call waits offline and the caller can leave an SMS for the service.
    await online(b, s.service_id, false);
    const late = await subscriber(url);
    const off = await placeCall(url, late.access_token, { handle: s.handle, topic: "after hours" });
    expect(off.body.state).to.equal("offline");
    const sms = await ext<CallView>(url, "POST", `/calls/${off.body.call_id}/sms`, late.access_token, {
      text: "Please call me back",
    });
    expect(sms.body.state).to.equal("left_sms");
    const [row] = await net.query(`SELECT to_id, text FROM sms WHERE sms_id = $1`, [sms.body.sms_id]);
    expect(row).to.deep.equal({ to_id: s.user_id, text: "Please call me back" });
  });

  it("shows operators the service's SMS and missed calls; they reply as the service and call back registered callers only", async () => {
    const op = await subscriber(url, { online: true });
    const s = await service([op]);
    await online(op, s.service_id, false);
    const caller = await subscriber(url);
    const smsCall = await placeCall(url, caller.access_token, { handle: s.handle, topic: "invoice" });
    await ext(url, "POST", `/calls/${smsCall.body.call_id}/sms`, caller.access_token, {
      text: "Wrong amount",
    });
    const missedCaller = await subscriber(url);
    const missed = await placeCall(url, missedCaller.access_token, { handle: s.handle, topic: "urgent" });
    await ext(url, "POST", `/calls/${missed.body.call_id}/cancel`, missedCaller.access_token);
    const anon = (await api<{ access_token: string }>(url, "POST", `${CS}/register?kind=guest`, { body: {} }))
      .body;
    const guestCall = await placeCall(url, anon.access_token, { handle: s.handle, topic: "guest" });
    await ext(url, "POST", `/calls/${guestCall.body.call_id}/sms`, anon.access_token, {
      text: "from a guest",
    });

    const inbox = await ext<InboxView>(url, "GET", `/services/${s.service_id}/inbox`, op.access_token);
    expect(inbox.status).to.equal(200);
    expect(inbox.body.unread).to.deep.equal({ sms: 2, missed: 1 });
    const operating = await ext<{ services: OperatedServiceView[] }>(
      url,
      "GET",
      "/operating",
      op.access_token,
    );
    expect(operating.body.services[0]).to.deep.include({
      service_id: s.service_id,
      user_id: s.user_id,
      customer_id: customerId,
      unread: { sms: 2, missed: 1 },
    });
    expect(inbox.body.missed.map((c) => c.caller.user_id)).to.deep.equal([missedCaller.user_id]);
    const fromCaller = inbox.body.sms.find((m) => m.from.user_id === caller.user_id)!;
    const fromGuest = inbox.body.sms.find((m) => m.text === "from a guest")!;
    // The service's operators hear of its news by e-mail (the owner, who is not one, does not).
    const subjects = async (address: string, count: number) =>
      until(`${count} e-mails to ${address}`, async () => {
        const mails = smtp.received
          .filter((m) => m.rcptTo.includes(address))
          .map((m) => parseMail(m.raw).subject);
        return mails.length >= count ? mails : undefined;
      });
    const opMail = await subjects(op.email, 4);
    expect(opMail.filter((x) => x.startsWith("SMS from"))).to.have.length(2);
    expect(opMail.filter((x) => x.startsWith("Missed call from"))).to.have.length(1);
    expect(smtp.received.some((m) => m.rcptTo.includes(owner.email))).to.equal(false);
    const teamView = await ext<InboxView>(url, "GET", `/services/${s.service_id}/inbox`, owner.access_token);
    expect(teamView.body.sms).to.have.length(2);
    const stranger = await subscriber(url);
    const peek = await ext(url, "GET", `/services/${s.service_id}/inbox`, stranger.access_token);
    expect(peek.status).to.equal(404);
    const strangerReply = await ext(url, "POST", `/sms/${fromCaller.sms_id}/reply`, stranger.access_token, {
      text: "x",
    });
    expect(strangerReply.status).to.equal(404);

    const reply = await ext<{ from: { user_id: string } }>(
      url,
      "POST",
      `/sms/${fromCaller.sms_id}/reply`,
      op.access_token,
      {
        text: "We fixed it",
      },
    );
    expect(reply.body.from.user_id).to.equal(s.user_id);
    const theirs = await ext<InboxView>(url, "GET", "/inbox", caller.access_token);
    expect(theirs.body.sms.map((m) => [m.from.user_id, m.text])).to.deep.equal([[s.user_id, "We fixed it"]]);

    const back = await ext<CallView>(
      url,
      "POST",
      `/calls/${missed.body.call_id}/call-back`,
      op.access_token,
      {},
    );
    expect([back.status, back.body.caller.user_id, back.body.callee.user_id]).to.deep.equal([
      200,
      op.user_id,
      missedCaller.user_id,
    ]);
    expect(back.body.callback_of).to.deep.equal({ kind: "call", id: missed.body.call_id });
    const guestBack = await ext(url, "POST", `/sms/${fromGuest.sms_id}/call-back`, op.access_token, {});
    expect(guestBack.body.errcode).to.equal("IO_CALLSIGN_NOT_SUBSCRIBER");
    const after = await ext<InboxView>(url, "GET", `/services/${s.service_id}/inbox`, op.access_token);
    expect(after.body.unread).to.deep.equal({ sms: 1, missed: 0 });

    // The team sets what the service's callers meet: here, a topic is required.
    const opts = await ext(url, "PUT", `/services/${s.service_id}/inbox/options`, owner.access_token, {
      one_click: false,
    });
    expect(opts.body).to.include({ one_click: false });
    const byOperator = await ext(url, "PUT", `/services/${s.service_id}/inbox/options`, op.access_token, {
      one_click: true,
    });
    expect(byOperator.status).to.equal(404);
    const noTopic = await placeCall(url, stranger.access_token, { handle: s.handle });
    expect(noTopic.body.errcode).to.equal("IO_CALLSIGN_TOPIC_REQUIRED");
  });

  it("takes calls only within its operating hours; outside them callers leave an SMS or ask for a call back", async () => {
    const op = await subscriber(url, { online: true });
    const s = await service([op]);
    const allWeek = Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]),
    );
    const today = new Date().toISOString().slice(0, 10);
    const bad = await ext(url, "PUT", `/services/${s.service_id}/hours`, owner.access_token, {
      hours: { time_zone: "Atlantis/Capital", weekly: allWeek },
    });
    expect([bad.status, bad.body.errcode]).to.deep.equal([400, "M_BAD_JSON"]);
    const byOperator = await ext(url, "PUT", `/services/${s.service_id}/hours`, op.access_token, {
      hours: null,
    });
    expect(byOperator.status).to.equal(404);

    // Open every day, but today (UTC) is an exception: closed.
    const closed = await ext<ServiceView>(url, "PUT", `/services/${s.service_id}/hours`, owner.access_token, {
      hours: { time_zone: "UTC", weekly: allWeek, exceptions: [{ date: today, periods: [] }] },
    });
    expect([closed.status, closed.body.open, closed.body.online_operators]).to.deep.equal([200, false, 1]);
    const view = await ext(url, "GET", `/handles/${s.handle}`);
    expect(view.body).to.include({ kind: "service", online: false, open: false });
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: s.handle, topic: "closed?" });
    expect(call.body.state).to.equal("offline");
    const left = await ext<CallView>(url, "POST", `/calls/${call.body.call_id}/sms`, caller.access_token, {
      text: "Please call me tomorrow",
      call_back: true,
    });
    expect(left.body.state).to.equal("left_sms");
    const inbox = await ext<InboxView>(url, "GET", `/services/${s.service_id}/inbox`, op.access_token);
    expect(inbox.body.sms.map((m) => [m.text, m.call_back])).to.deep.equal([
      ["Please call me tomorrow", true],
    ]);
    const anon = (await api<{ access_token: string }>(url, "POST", `${CS}/register?kind=guest`, { body: {} }))
      .body;
    const guestCall = await placeCall(url, anon.access_token, { handle: s.handle, topic: "guest" });
    const guestAsks = await ext(url, "POST", `/calls/${guestCall.body.call_id}/sms`, anon.access_token, {
      text: "call me",
      call_back: true,
    });
    expect([guestAsks.status, guestAsks.body.errcode]).to.deep.equal([400, "IO_CALLSIGN_NOT_SUBSCRIBER"]);

    // Open all week again: calls queue.
    const open = await ext<ServiceView>(url, "PUT", `/services/${s.service_id}/hours`, owner.access_token, {
      hours: { time_zone: "Europe/Lisbon", weekly: allWeek },
    });
    expect(open.body.open).to.equal(true);
    const later = await placeCall(url, (await subscriber(url)).access_token, {
      handle: s.handle,
      topic: "open",
    });
    expect(later.body.state).to.equal("queued");
  });

  it("gives an operator of three services one queue, merged by arrival and labelled by service, with their own calls", async () => {
    const op = await subscriber(url, { online: true });
    const desks = [await service([op]), await service([op]), await service([op])];
    const order = [2, 0, 1, -1, 0];
    const placed: string[] = [];
    for (const i of order) {
      const caller = await subscriber(url);
      const handle = i < 0 ? op.number : desks[i]!.handle;
      const res = await placeCall(url, caller.access_token, { handle, topic: `to ${i}` });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      placed.push(res.body.call_id);
    }
    const merged = await queueOf(op);
    expect(merged.map((c) => c.call_id)).to.deep.equal(placed);
    expect(merged.map((c) => c.callee.user_id)).to.deep.equal(
      order.map((i) => (i < 0 ? op.user_id : desks[i]!.user_id)),
    );
    const listed = await ext<{ services: OperatedServiceView[] }>(url, "GET", "/operating", op.access_token);
    expect(listed.body.services.map((s) => [s.service_id, s.online, s.queued])).to.deep.equal([
      [desks[0]!.service_id, true, 2],
      [desks[1]!.service_id, true, 1],
      [desks[2]!.service_id, true, 1],
    ]);
  });

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

  it("stops ringing an operator whose client went away", async () => {
    const op = await subscriber(url, { online: true });
    const s = await service([op]);
    expect(
      (await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, owner.access_token)).body
        .online_operators,
    ).to.equal(1);
    // Presence lapses when the operator's client stops syncing; the test moves the clock back.
    await net.query(`UPDATE presence SET last_active_at = now() - interval '1 day' WHERE user_id = $1`, [
      op.user_id,
    ]);
    const now = await ext<ServiceView>(url, "GET", `/services/${s.service_id}`, owner.access_token);
    expect([now.body.online_operators, now.body.operators[0]!.online]).to.deep.equal([0, false]);
    const caller = await subscriber(url);
    const call = await placeCall(url, caller.access_token, { handle: s.handle, topic: "anyone?" });
    expect(call.body.state).to.equal("offline");
  });
});
