/**
 * Webcam services in the reference web client, real browsers against a real homeserver: an
 * owner creates a company and its services, adds a manager and operators by e-mail; operators
 * switch online, see a call labelled with its service in their merged queue, take it and
 * transfer it to another service with a note, where the next operator sees the hop; a priced
 * service id is paid from its card; the hours editor saves a schedule and shows the server's
 * refusal of a bad time zone. The service inbox and operators' errors: web-service-desk.test.ts.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { CallView } from "../protocol/callsign/calls.js";
import type { ServiceView } from "../protocol/callsign/services.js";
import { ext, subscriber } from "./helpers/calls.js";
import { GOOD_CARD } from "./helpers/names-pages.js";
import {
  accessTokenOf,
  addOperator,
  createService,
  goOnline,
  manage,
  openServices,
  operatedService,
  serviceCard,
} from "./helpers/services-pages.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client services", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const password = "correct horse 1";
  const emails = {
    owner: `owner-${run}@example.org`,
    front: `front-${run}@example.org`,
    sales: `sales-${run}@example.org`,
  };
  const reception = { id: `reception${run}`, name: "Acme Reception" };
  const sales = { id: `salesdesk${run}`, name: "Acme Sales" };
  let owner: Page;
  let front: Page;
  let seller: Page;

  /** The service as the server has it, read with the owner's session. */
  const stored = async (serviceId: string) =>
    (await ext<ServiceView>(web.network.baseUrl, "GET", `/services/${serviceId}`, await accessTokenOf(owner)))
      .body;
  const serviceIdOf = async (card: ReturnType<typeof serviceCard>) =>
    (await card.getAttribute("data-service-id")) ?? "";

  /** Signs an operator up in a browser of their own and switches them online for `service`. */
  async function operatorOnline(email: string, service: string): Promise<Page> {
    const page = await web.pages.open();
    await web.pages.signUp(page, { email, password });
    await openServices(page);
    expect(await operatedService(page, service).getByTestId("operated-state").textContent()).to.equal(
      "Offline",
    );
    const item = await goOnline(page, service);
    expect(await item.getAttribute("data-online")).to.equal("true");
    expect(await item.getByTestId("operated-counts").textContent()).to.equal(
      "1 operator online · no calls waiting",
    );
    return page;
  }

  it("an owner creates a company and two services, and adds operators by e-mail", async function () {
    owner = await web.pages.open();
    await web.pages.signUp(owner, { email: emails.owner, password });
    await openServices(owner);
    await owner.getByTestId("operated-empty").waitFor();
    await owner.getByTestId("customers-empty").waitFor();

    await owner.getByTestId("customer-name-input").fill(`Acme ${run}`);
    await owner.getByTestId("customer-create").click();
    await waitForText(owner, "customer-name", `Acme ${run}`);
    await owner.locator('[data-testid="services"][data-loaded]').waitFor();
    await owner.getByTestId("services-empty").waitFor();
    expect(await owner.getByTestId("team-role").allTextContents()).to.deep.equal(["Owner"]);
    // A manager joins by the e-mail address of their account, and is removed again.
    const manager = await subscriber(web.network.baseUrl);
    await owner.getByTestId("manager-handle").fill(manager.email);
    await owner.getByTestId("manager-add").click();
    const member = owner.locator(`[data-testid="team-member"][data-user-id="${manager.user_id}"]`);
    expect(await member.getByTestId("team-role").textContent()).to.equal("Manager");
    await member.getByTestId("manager-remove").click();
    await member.waitFor({ state: "detached" });

    const desk = await createService(owner, reception.id, reception.name);
    expect(await desk.getByTestId("service-name-state").textContent()).to.equal("Active");
    expect(await desk.getByTestId("service-dial").textContent()).to.match(
      new RegExp(`^${reception.id} · \\d{9}$`),
    );
    // Nobody operates it yet: the card opens its setup, with hours "always".
    await desk.getByTestId("operators-empty").waitFor();
    expect(await desk.getByTestId("hours-summary").textContent()).to.equal(
      "Always open while an operator is online.",
    );
    const invited = await addOperator(desk, emails.front);
    expect(await invited.getByTestId("operator-state").textContent()).to.equal("Invited");

    // The receptionist operates the sales desk too (offline there): so they see it to transfer to.
    const salesCard = await createService(owner, sales.id, sales.name);
    await addOperator(salesCard, emails.sales);
    await addOperator(salesCard, emails.front);
    // Creating a service leaves the others as they were.
    expect(await desk.getByTestId("operator").count()).to.equal(1);
    const view = await stored(await serviceIdOf(salesCard));
    expect(view.operators.map((o) => [o.email, o.status]).sort()).to.deep.equal([
      [emails.front, "invited"],
      [emails.sales, "invited"],
    ]);
    await owner.getByTestId("customer-name").scrollIntoViewIfNeeded();
    await shot(owner, "web-services-company");
  });

  it("operators go online, take a call labelled with its service and transfer it with a note", async function () {
    front = await operatorOnline(emails.front, reception.name);
    seller = await operatorOnline(emails.sales, sales.name);
    await shot(front, "web-services-operating");

    // The owner sees the invitations turned into active operators, online now.
    await openServices(owner);
    const desk = serviceCard(owner, reception.name);
    await manage(desk);
    await desk
      .locator(`[data-testid="operator"][data-email="${emails.front}"]`)
      .getByTestId("operator-state")
      .filter({ hasText: "Online" })
      .waitFor();

    // The caller dials the service by its id in a browser of their own.
    const caller = await web.pages.open();
    await web.pages.signUp(caller, { email: `caller-${run}@example.org`, password });
    await caller.getByTestId("dial-handle").fill(reception.id);
    await caller.getByTestId("dial-topic").fill("buy 10 seats");
    await caller.getByTestId("dial-submit").click();
    await waitForText(caller, "call-position", "You are number 1 in the queue");
    await waitForText(caller, "call-title", `Calling ${reception.name}`);
    const callId = (await caller.getByTestId("call-screen").getAttribute("data-call-id")) ?? "";
    const callerState = (state: string) =>
      caller.locator(`[data-testid="call-screen"][data-state="${state}"]`).waitFor();

    await front.getByTestId("nav-calls").click();
    const entry = front.getByTestId("queue-entry").filter({ hasText: "buy 10 seats" });
    await entry.waitFor();
    expect(await entry.getByTestId("queue-service").textContent()).to.equal(`to ${reception.name}`);
    expect(await entry.getByTestId("call-hops").count()).to.equal(0);
    await shot(front, "web-services-queue");

    await entry.getByTestId("queue-take").click();
    await front.locator('[data-testid="call-screen"][data-state="answered"]').waitFor();
    await waitForText(front, "call-title", `for ${reception.name}`);
    await callerState("answered");
    await front.getByTestId("call-transfer").click();
    const dialog = front.getByTestId("transfer-dialog");
    await dialog.locator('[data-testid="transfer-service"][data-loaded]').waitFor();
    // The operator sees the customer's other service (with somebody online), not the one the
    // call is at; and its operators by name, themself left out.
    expect(await dialog.locator('[data-testid="transfer-service"] option').allTextContents()).to.deep.equal([
      `${sales.name} · online`,
    ]);
    expect(await dialog.locator('[data-testid="transfer-user"] option').count()).to.equal(1);
    await dialog.getByTestId("transfer-note").fill("wants a volume discount");
    await shot(front, "web-services-transfer");
    await dialog.getByTestId("transfer-submit").click();
    await waitForText(front, "call-transferred", `to ${sales.name}`);
    expect(await front.getByTestId("call-screen").count()).to.equal(0);
    await front.getByTestId("queue-empty").waitFor();
    await shot(front, "web-services-transferred");

    // The caller waits again, now at the sales desk, and sees where the call went.
    await callerState("queued");
    await waitForText(caller, "call-title", `Calling ${sales.name}`);
    await waitForText(caller, "hop-route", `${reception.name} → ${sales.name}`);
    expect(await caller.getByTestId("call-room").count()).to.equal(0);
    const moved = (
      await ext<CallView>(web.network.baseUrl, "GET", `/calls/${callId}`, await accessTokenOf(caller))
    ).body;
    expect([moved.state, moved.callee.display_name, moved.operator]).to.deep.equal([
      "queued",
      sales.name,
      null,
    ]);
    expect(moved.hops.map((h) => [h.from.display_name, h.to.display_name, h.note])).to.deep.equal([
      [reception.name, sales.name, "wants a volume discount"],
    ]);

    await seller.getByTestId("nav-calls").click();
    const waiting = seller.getByTestId("queue-entry").filter({ hasText: "buy 10 seats" });
    await waiting.waitFor();
    expect(await waiting.getByTestId("queue-service").textContent()).to.equal(`to ${sales.name}`);
    expect(await waiting.getByTestId("hop-route").textContent()).to.match(
      new RegExp(`^${reception.name} → ${sales.name} by \\d{9}$`),
    );
    expect(await waiting.getByTestId("hop-note").textContent()).to.equal("wants a volume discount");
    await shot(seller, "web-services-hop");

    await waiting.getByTestId("queue-take").click();
    await seller.locator('[data-testid="call-screen"][data-state="answered"]').waitFor();
    await waitForText(seller, "hop-note", "wants a volume discount");
    await shot(seller, "web-services-answered");
    await callerState("answered");
    await seller.getByTestId("call-hangup").click();
    await seller.locator('[data-testid="call-screen"][data-state="ended"]').waitFor();
    await callerState("ended");
    await seller.getByTestId("call-close").click();
    await caller.context().close();
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("a priced service id waits for payment, which the team makes from the service's card", async function () {
    await openServices(owner);
    const card = await createService(owner, "zqxw", "Short desk");
    expect(await card.getByTestId("service-name-state").textContent()).to.equal("Awaiting payment");
    expect(await card.getByTestId("service-dial").textContent()).to.match(/^\d{9}$/);
    const pay = card.getByTestId("service-name-pay");
    expect(await pay.textContent()).to.match(/^Pay €50\.00$/);
    await pay.click();
    await card.getByTestId("card-number").fill(GOOD_CARD);
    await card.getByTestId("payment-submit").click();
    await card.locator('[data-testid="service-name-state"]').filter({ hasText: "Active" }).waitFor();
    expect(await card.getByTestId("service-dial").textContent()).to.match(/^zqxw · \d{9}$/);
    expect((await stored(await serviceIdOf(card))).handle).to.equal("zqxw");
  });

  it("the hours editor saves a schedule, shows the server's refusal of a bad time zone and clears it", async function () {
    await openServices(owner);
    const card = serviceCard(owner, sales.name);
    await manage(card);
    const serviceId = await serviceIdOf(card);
    await card.getByTestId("hours-edit").click();
    const day = (name: string) => card.locator(`[data-testid="hours-day"][data-day="${name}"]`);
    // A new schedule starts Monday to Friday, 9 to 5.
    expect(await day("mon").getByTestId("hours-period").count()).to.equal(1);
    expect(await day("sat").getByTestId("hours-closed").count()).to.equal(1);

    await card.getByTestId("hours-time-zone").fill("Europe/Lisbon");
    await day("mon").getByTestId("hours-to").fill("12:30");
    await day("mon").getByTestId("hours-add-period").click();
    await day("mon").getByTestId("hours-from").nth(1).fill("13:30");
    await day("mon").getByTestId("hours-to").nth(1).fill("18:00");
    await day("fri").getByTestId("hours-to").fill("00:00");
    await day("sat").getByTestId("hours-add-period").click();
    await day("sat").getByTestId("hours-from").fill("10:00");
    await day("sat").getByTestId("hours-to").fill("14:00");
    await card.getByTestId("hours-add-exception").click();
    await card.getByTestId("hours-exception-date").fill("2026-12-25");
    await card.getByTestId("hours-save").click();
    await waitForText(owner, "hours-summary", "Open by its schedule (Europe/Lisbon)");
    expect((await stored(serviceId)).hours).to.deep.equal({
      time_zone: "Europe/Lisbon",
      weekly: {
        mon: [
          ["09:00", "12:30"],
          ["13:30", "18:00"],
        ],
        tue: [["09:00", "17:00"]],
        wed: [["09:00", "17:00"]],
        thu: [["09:00", "17:00"]],
        fri: [["09:00", "24:00"]],
        sat: [["10:00", "14:00"]],
      },
      exceptions: [{ date: "2026-12-25", periods: [] }],
    });

    await card.getByTestId("hours-time-zone").fill("Atlantis/Capital");
    await card.getByTestId("hours-save").click();
    const error = card.getByTestId("hours-error");
    await error.waitFor();
    expect(await error.textContent()).to.match(/^M_BAD_JSON: hours\.time_zone: /);
    expect((await stored(serviceId)).hours?.time_zone).to.equal("Europe/Lisbon");
    await card.scrollIntoViewIfNeeded();
    await shot(owner, "web-services-hours");

    await card.getByTestId("hours-always").click();
    await waitForText(owner, "hours-summary", "Always open");
    expect(await error.isVisible()).to.equal(false);
    expect((await stored(serviceId)).hours).to.equal(null);
  });
});
