/**
 * The caller's side in the reference web client, real browsers against a real homeserver: the
 * dial box suggests people, services and DNS-verified domains while a name is typed (marking
 * the verified domain; waiting for pauses in typing, one request at a time), and says that the
 * chosen service is closed now; the caller leaves an SMS asking to be called back, which its
 * operator finds marked in the service's inbox; a guest on the service's call link is told it is
 * closed and is not offered a call back.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { ServiceView } from "../protocol/callsign/services.js";
import { NamesApi, ServicesApi } from "../clients/sdk/src/index.js";
import { subscriber } from "./helpers/calls.js";
import { openServices, operatedService } from "./helpers/services-pages.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client dialling by name", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const name = `acmehelp${run}`;
  const domain = `${name}.example.test`;
  const operatorEmail = `helper-${run}@example.org`;
  let service: ServiceView;
  let caller: Page;

  before(async function () {
    const url = web.network.baseUrl;
    // A person, a service and a DNS-verified domain, all beginning with the same name.
    await subscriber(url, { username: `${name}ann` });
    const owner = await subscriber(url);
    const services = new ServicesApi(url, owner.access_token);
    const acme = await services.createCustomer({ name: "Acme" });
    service = await services.createService(acme.customer_id, { service_id: name, display_name: "Acme Help" });
    await services.addOperator(service.service_id, operatorEmail);
    // Closed every day: callers may only leave a message.
    await services.setHours(service.service_id, { time_zone: "UTC", weekly: {}, exceptions: [] });
    const names = new NamesApi(url, owner.access_token);
    const claim = await names.claimDomain(domain);
    await web.network.dns.set(`${claim.record.name}.`, "TXT", [claim.record.value]);
    expect((await names.checkDomain(domain)).state).to.equal("verified");
  });

  it("suggests a service, a person and a verified domain while a name is typed, one request at a time", async function () {
    caller = await web.pages.open();
    await web.pages.signUp(caller, { email: `dialler-${run}@example.org`, password: "correct horse 1" });

    // Every directory answer is held back a little, to see that no second request overlaps it.
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    await caller.route("**/_callsign/client/v1/directory?*", async (route) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      asked.push(new URL(route.request().url()).searchParams.get("q") ?? "");
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 400));
      inFlight -= 1;
      await route.fulfill({ response });
    });
    await caller.getByTestId("dial-handle").pressSequentially(name, { delay: 60 });
    const suggestions = caller.getByTestId("dial-suggestions");
    const item = (kind: string) =>
      suggestions.locator(`[data-testid="dial-suggestion"][data-kind="${kind}"]`);
    await item("domain").waitFor();
    await caller.waitForTimeout(600);
    expect(most).to.equal(1);
    // Typing without pauses asks once at most for what was typed meanwhile, not once per letter.
    expect(asked.length).to.be.below(4);
    expect(asked[asked.length - 1]).to.equal(name);

    expect(await suggestions.getByTestId("suggestion-kind").allTextContents()).to.deep.equal([
      "Service",
      "Domain",
      "Person",
    ]);
    expect(await item("service").getByTestId("suggestion-name").textContent()).to.equal("Acme Help");
    expect(await item("service").getByTestId("suggestion-verified").count()).to.equal(0);
    expect(await item("domain").getByTestId("suggestion-handle").textContent()).to.equal(` ${domain}`);
    expect(await item("domain").getByTestId("suggestion-verified").textContent()).to.equal("✓ verified");
    expect(await item("user").getByTestId("suggestion-handle").textContent()).to.equal(` ${name}ann`);
    await shot(caller, "web-dial-suggestions");
    await caller.unroute("**/_callsign/client/v1/directory?*");

    // The keyboard chooses: down to the domain and back up to the service.
    await caller.getByTestId("dial-handle").press("ArrowDown");
    await caller.getByTestId("dial-handle").press("ArrowDown");
    expect(await item("domain").getAttribute("aria-selected")).to.equal("true");
    await caller.getByTestId("dial-handle").press("ArrowUp");
    await caller.getByTestId("dial-handle").press("Enter");
    await suggestions.waitFor({ state: "hidden" });
    expect(await caller.getByTestId("dial-handle").inputValue()).to.equal(name);
    await waitForText(caller, "dial-status", "Acme Help: Closed now: you can leave a message");
    expect(await caller.getByTestId("dial-status").getAttribute("data-state")).to.equal("closed");
    expect(await caller.evaluate(() => document.activeElement?.getAttribute("data-testid"))).to.equal(
      "dial-topic",
    );
    await shot(caller, "web-dial-closed");
  });

  it("leaves an SMS asking to be called back, which the operator finds marked in the service's inbox", async function () {
    await caller.getByTestId("dial-topic").fill("my kettle leaks");
    await caller.getByTestId("dial-submit").click();
    await caller.locator('[data-testid="call-screen"][data-state="offline"]').waitFor();
    await waitForText(caller, "call-offline", "Acme Help is closed now.");
    await caller.getByTestId("sms-text").fill("Please ring me after nine.");
    await caller.getByTestId("sms-call-back").check();
    await shot(caller, "web-dial-sms");
    await caller.getByTestId("sms-send").click();
    await caller.locator('[data-testid="call-screen"][data-state="left_sms"]').waitFor();

    const operator = await web.pages.open();
    await web.pages.signUp(operator, { email: operatorEmail, password: "correct horse 1" });
    await openServices(operator);
    const desk = operatedService(operator, "Acme Help");
    await desk.getByTestId("service-inbox-badge").filter({ hasText: "1" }).waitFor();
    await desk.getByTestId("service-inbox-toggle").click();
    const sms = desk.getByTestId("inbox-sms").filter({ hasText: "Please ring me after nine." });
    expect(await sms.getByTestId("inbox-call-back-requested").textContent()).to.equal("Call back requested");
    expect(await sms.getByTestId("inbox-topic").textContent()).to.equal("my kettle leaks");
    await shot(operator, "web-dial-inbox");
    await operator.context().close();
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("tells a guest on the service's call link that it is closed, and offers them no call back", async function () {
    const guest = await web.pages.open(`/call/${name}`);
    await guest.locator('[data-testid="call-form"][data-loaded]').waitFor();
    expect(await guest.getByTestId("callee-online").textContent()).to.equal(
      "Closed now: you can leave a message",
    );
    await guest.getByTestId("call-topic-input").fill("opening hours?");
    await guest.getByTestId("call-button").click();
    await guest.locator('[data-testid="call-screen"][data-state="offline"]').waitFor();
    await guest.getByTestId("sms-form").waitFor();
    expect(await guest.getByTestId("sms-call-back").count()).to.equal(0);
    await shot(guest, "web-dial-guest");
    await guest.context().close();
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
