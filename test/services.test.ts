/**
 * Webcam services (issue 5): services with reserved service ids, operators by e-mail with
 * pending invitations, online per service, one shared queue, a merged queue across services,
 * one winner when two operators take the same call, the service inbox and operating hours.
 */
import { expect } from "chai";
import type { CallView, InboxView } from "../protocol/callsign/calls.js";
import type { DirectoryEntry } from "../protocol/callsign/names.js";
import type { OperatedServiceView, ServiceView } from "../protocol/callsign/services.js";
import { api, CS, register } from "./helpers/api.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import { parseMail, startSmtpServer, type SmtpFixture } from "./helpers/smtp-server.js";
import { ServiceKit } from "./helpers/services.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("Webcam services", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let url: string;
  let owner: Subscriber;
  let customerId: string;
  let smtp: SmtpFixture;
  let kit: ServiceKit;
  before(async () => {
    smtp = await startSmtpServer();
    net = await TestNetwork.start({ env: { CALLSIGN_SMTP_URL: smtp.url } });
    url = net.baseUrl;
    kit = await ServiceKit.start(url, "Acme");
    ({ owner, customerId } = kit);
  });
  after(async () => {
    await net?.close();
    await smtp?.close();
  });

  const service = (operators: Subscriber[] = []) => kit.service(operators);
  const online = (op: Subscriber, serviceId: string, on: boolean) => kit.online(op, serviceId, on);
  const queueOf = (op: Subscriber) => kit.queueOf(op);

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
