/**
 * An operator's desk in the reference web client, a real browser against a real homeserver (the
 * company and its service made through the SDK's ServicesApi): the service's inbox shows an SMS
 * that asks for a call back, the operator replies as the service and calls back; a take that
 * comes second, or after the operator went offline, is explained in words; a call still waiting
 * in the queue is transferred to another service of the company, or to a colleague by name.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { CallView, InboxView } from "../protocol/callsign/calls.js";
import type { ServiceView } from "../protocol/callsign/services.js";
import { CallsignApi, ServicesApi } from "../clients/sdk/src/index.js";
import { ext, placeCall, subscriber, type Subscriber } from "./helpers/calls.js";
import {
  accessTokenOf,
  freezeQueue,
  goOnline,
  openServices,
  operatedService,
  userIdOf,
} from "./helpers/services-pages.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client service desk", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const deskName = "Acme Help Desk";
  const email = `desk-${run}@example.org`;
  let desk: ServiceView;
  /** Another service of the same company, where nobody is online. */
  let billing: ServiceView;
  /** Another operator of the desk, through the API only. */
  let colleague: Subscriber;
  let operator: Page;

  before(async function () {
    const owner = await subscriber(web.network.baseUrl);
    colleague = await subscriber(web.network.baseUrl, { online: true });
    const services = new ServicesApi(web.network.baseUrl, owner.access_token);
    const acme = await services.createCustomer({ name: "Acme" });
    desk = await services.createService(acme.customer_id, {
      service_id: `helpdesk${run}`,
      display_name: deskName,
    });
    billing = await services.createService(acme.customer_id, {
      service_id: `billing${run}`,
      display_name: "Acme Billing",
    });
    await services.addOperator(desk.service_id, colleague.email);
    const invited = await services.addOperator(desk.service_id, email);
    expect(invited.operators.map((o) => o.status).sort()).to.deep.equal(["active", "invited"]);

    operator = await web.pages.open();
    await web.pages.signUp(operator, { email, password: "correct horse 1" });
    await openServices(operator);
  });

  it("shows an SMS asking for a call back in the service's inbox; the operator replies as the service and calls back", async function () {
    // Nobody is online: the caller leaves an SMS. Online themself, so the call back waits for them.
    const caller = await subscriber(web.network.baseUrl, { online: true });
    const call = await placeCall(web.network.baseUrl, caller.access_token, {
      handle: desk.handle,
      topic: "refund",
    });
    expect(call.body.state).to.equal("offline");
    const left = await ext<CallView>(
      web.network.baseUrl,
      "POST",
      `/calls/${call.body.call_id}/sms`,
      caller.access_token,
      {
        text: "Please call me about my refund",
        call_back: true,
      },
    );
    expect(left.body.state).to.equal("left_sms");

    await openServices(operator);
    const item = operatedService(operator, deskName);
    await item.getByTestId("service-inbox-badge").filter({ hasText: "1" }).waitFor();
    await item.getByTestId("service-inbox-toggle").click();
    const sms = item.getByTestId("inbox-sms").filter({ hasText: "Please call me about my refund" });
    await sms.waitFor();
    expect(await sms.getByTestId("inbox-call-back-requested").textContent()).to.equal("Call back requested");
    expect(await sms.getByTestId("inbox-topic").textContent()).to.equal("refund");
    await item.getByTestId("service-inbox-badge").waitFor({ state: "hidden" });
    await shot(operator, "web-services-inbox");

    await sms.getByTestId("inbox-reply").click();
    await sms.getByTestId("inbox-reply-text").fill("Refund sent today");
    await sms.getByTestId("inbox-reply-send").click();
    await sms.getByTestId("inbox-reply-sent").waitFor();
    const theirs = (await ext<InboxView>(web.network.baseUrl, "GET", "/inbox", caller.access_token)).body;
    expect(theirs.sms.map((m) => [m.from.display_name, m.text])).to.deep.equal([
      [deskName, "Refund sent today"],
    ]);

    // The call back comes from the operator, pointing back at the service's SMS.
    await sms.getByTestId("inbox-call-back").click();
    const screen = operator.locator('[data-testid="call-screen"][data-state="queued"]');
    await screen.waitFor();
    const backId = (await screen.getAttribute("data-call-id")) ?? "";
    const back = (await ext<CallView>(web.network.baseUrl, "GET", `/calls/${backId}`, caller.access_token))
      .body;
    expect([back.caller.user_id, back.callee.user_id]).to.deep.equal([
      await userIdOf(operator),
      caller.user_id,
    ]);
    expect(back.callback_of).to.deep.equal({ kind: "sms", id: left.body.sms_id });
    await operator.getByTestId("call-cancel").click();
    await operator.locator('[data-testid="call-screen"][data-state="cancelled"]').waitFor();
    await operator.getByTestId("call-close").click();
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("tells an operator whose take came second, or who went offline meanwhile, what happened", async function () {
    const url = web.network.baseUrl;
    const theirs = new CallsignApi(url, colleague.access_token);
    await new ServicesApi(url, colleague.access_token).setOnline(desk.service_id, true);
    await goOnline(operator, deskName);
    await operator.getByTestId("nav-calls").click();
    const ringing = async (topic: string) => {
      const caller = await subscriber(url);
      const placed = await placeCall(url, caller.access_token, { handle: desk.handle, topic });
      expect(placed.body.state).to.equal("queued");
      const entry = operator.getByTestId("queue-entry").filter({ hasText: topic });
      await entry.waitFor();
      return { entry, callId: placed.body.call_id };
    };

    // The colleague takes the call while this page still shows it.
    const first = await ringing("two takes");
    let release = await freezeQueue(operator);
    await theirs.take(first.callId);
    await first.entry.getByTestId("queue-take").click();
    await waitForText(
      operator,
      "error",
      /^IO_CALLSIGN_ALREADY_TAKEN: Another operator took this call first; it has left your queue\.$/,
    );
    await release();
    await first.entry.waitFor({ state: "detached" });

    // The operator went offline elsewhere (another tab) while this page still shows the call.
    const second = await ringing("offline meanwhile");
    release = await freezeQueue(operator);
    await new ServicesApi(url, await accessTokenOf(operator)).setOnline(desk.service_id, false);
    await second.entry.getByTestId("queue-take").click();
    await waitForText(
      operator,
      "error",
      new RegExp(`^IO_CALLSIGN_NOT_ONLINE: You are offline for ${deskName}: switch it Online under Services`),
    );
    await shot(operator, "web-services-not-online");
    await release();
    await second.entry.waitFor({ state: "detached" });
    await theirs.end(first.callId);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("transfers a call still waiting in the queue to another service, or to a colleague by name", async function () {
    const url = web.network.baseUrl;
    await goOnline(operator, deskName);
    await operator.getByTestId("nav-calls").click();
    const waiting = async (topic: string) => {
      const caller = await subscriber(url);
      const placed = await placeCall(url, caller.access_token, { handle: desk.handle, topic });
      expect(placed.body.state).to.equal("queued");
      const entry = operator.getByTestId("queue-entry").filter({ hasText: topic });
      await entry.waitFor();
      return { entry, callId: placed.body.call_id, caller };
    };
    const read = async (callId: string, token: string) =>
      (await ext<CallView>(url, "GET", `/calls/${callId}`, token)).body;

    const first = await waiting("an invoice question");
    await first.entry.getByTestId("call-transfer").click();
    const dialog = first.entry.getByTestId("transfer-dialog");
    await dialog.locator('[data-testid="transfer-service"][data-loaded]').waitFor();
    expect(await dialog.locator('[data-testid="transfer-service"] option').allTextContents()).to.deep.equal([
      "Acme Billing · nobody online",
    ]);
    // The colleague, by name; not the operator themself.
    expect(await dialog.locator('[data-testid="transfer-user"] option').allTextContents()).to.deep.equal([
      colleague.number,
    ]);
    await dialog.getByTestId("transfer-note").fill("asks about invoice 42");
    await shot(operator, "web-services-queue-transfer");
    await dialog.getByTestId("transfer-submit").click();
    await first.entry.waitFor({ state: "detached" });
    const moved = await read(first.callId, first.caller.access_token);
    expect([moved.state, moved.service_id, moved.callee.display_name]).to.deep.equal([
      "offline",
      billing.service_id,
      "Acme Billing",
    ]);
    expect(moved.hops.map((h) => [h.by.user_id, h.note])).to.deep.equal([
      [await userIdOf(operator), "asks about invoice 42"],
    ]);

    const second = await waiting("for Sam only");
    await second.entry.getByTestId("call-transfer").click();
    const again = second.entry.getByTestId("transfer-dialog");
    await again.locator('[data-testid="transfer-service"][data-loaded]').waitFor();
    await again.getByTestId("transfer-to-user").check();
    await again.getByTestId("transfer-user").selectOption(colleague.user_id);
    await again.getByTestId("transfer-submit").click();
    await second.entry.waitFor({ state: "detached" });
    const handed = await read(second.callId, second.caller.access_token);
    expect([handed.callee.user_id, handed.service_id]).to.deep.equal([colleague.user_id, null]);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
