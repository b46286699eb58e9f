/**
 * The site widget in a real browser (issue 5, "Webcam services" part 9): a shop's page with a
 * strict Content-Security-Policy embeds the widget's snippet; the shortcut shows the offline
 * colour on its edge, turns online without a reload when an operator goes online, and opens the
 * service's call page in a dialog over the shop's page, where the visitor calls as a guest and
 * the operator takes the call from the merged queue and chats. A site that is not one of the
 * widget's origins gets no shortcut.
 */
import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import type { CallView } from "../protocol/callsign/calls.js";
import type { CustomerView } from "../protocol/callsign/customers.js";
import { WidgetRoutes } from "../protocol/callsign/routes.js";
import type { ServiceView } from "../protocol/callsign/services.js";
import type { WidgetView } from "../protocol/callsign/widgets.js";
import { api, CS } from "./helpers/api.js";
import { ext, subscriber, type Subscriber } from "./helpers/calls.js";
import { startSite, type Site, type SiteFile } from "./helpers/site.js";
import { until } from "./helpers/wait.js";
import { shot } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

const OFFLINE = "#8a5a00";
const ONLINE = "#0a7d32";
const TOPIC = "Does the blue kettle come in red?";

/** `#0a7d32` → `rgb(10, 125, 50)`, as getComputedStyle gives it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

/** The shop's stylesheet: rules that would spoil the widget if they reached into it. */
const SHOP_CSS = `body { font: 16px Georgia, serif; margin: 2rem 4rem; color: #332; }
button { background: #ff00ff !important; font-size: 28px !important; padding: 0 !important; }`;

const shopPage = (snippet: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Acme Kettles</title><link rel="stylesheet" href="/shop.css"></head>
  <body>
    <h1>Acme Kettles</h1>
    <p>Kettles, teapots and cups, shipped the same day.</p>
    <button type="button">Add to basket</button>
    ${snippet}
  </body>
</html>`;

describe("site widget (browser)", function () {
  this.timeout(120_000);

  // The operator is driven through the API, not a syncing client: keep their presence.
  const web = webSuite({ env: { CALLSIGN_PRESENCE_GRACE_S: "3600" } });
  let base: string;
  let shop: Site;
  /** A site the widget is not set up for. */
  let stranger: Site;
  const files: Record<string, SiteFile> = {};
  let owner: Subscriber;
  let operator: Subscriber;
  let service: ServiceView;
  let widget: WidgetView;
  let visitor: Page;
  const pageErrors: string[] = [];

  /** Opens the site's page in a fresh context that records CSP violations and page errors. */
  async function openSite(site: Site): Promise<Page> {
    const context: BrowserContext = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const res = await page.goto(site.origin + "/");
    expect(res?.headers()["content-security-policy"]).to.match(/^default-src 'self'/);
    return page;
  }

  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  const button = (page: Page) => page.locator('[data-testid="widget-button"]');
  const buttonIn = (page: Page, state: string) =>
    page.locator(`[data-testid="widget-button"][data-state="${state}"]`);
  async function goOnline(online: boolean): Promise<void> {
    const res = await ext(base, "PUT", `/services/${service.service_id}/online`, operator.access_token, {
      online,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }
  const backgroundOf = (page: Page) => button(page).evaluate((b) => getComputedStyle(b).backgroundColor);

  before(async function () {
    base = web.network.baseUrl;
    shop = await startSite(files);
    stranger = await startSite(files);

    owner = await subscriber(base);
    operator = await subscriber(base, { online: true });
    const customerId = (
      await ext<CustomerView>(base, "POST", "/customers", owner.access_token, { name: "Acme Kettles" })
    ).body.customer_id;
    service = (
      await ext<ServiceView>(base, "POST", `/customers/${customerId}/services`, owner.access_token, {
        service_id: `kettles${Date.now() % 100000}`,
        display_name: "Kettle help",
      })
    ).body;
    await ext(base, "POST", `/services/${service.service_id}/operators`, owner.access_token, {
      email: operator.email,
    });
    const created = await ext<WidgetView>(
      base,
      "POST",
      `/customers/${customerId}/widgets`,
      owner.access_token,
      {
        service_id: service.service_id,
        side: "left",
        color_online: ONLINE,
        color_offline: OFFLINE,
        text: "Talk to us",
        origins: [shop.origin],
      },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    widget = created.body;

    const csp = `default-src 'self'; script-src 'self' ${base}; connect-src ${base}; frame-src ${base}`;
    files["/"] = {
      type: "text/html; charset=utf-8",
      body: shopPage(widget.snippet),
      headers: { "Content-Security-Policy": csp },
    };
    files["/shop.css"] = { type: "text/css", body: SHOP_CSS };
  });

  after(async function () {
    if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.join("\n  ")}`);
    await shop?.close();
    await stranger?.close();
  });

  it("shows the offline colour on the configured edge, under the shop's strict CSP and CSS", async function () {
    visitor = await openSite(shop);
    await buttonIn(visitor, "offline").waitFor();
    expect(await backgroundOf(visitor)).to.equal(rgb(OFFLINE));
    expect(await button(visitor).textContent()).to.contain("Talk to us");
    // The state in words for screen readers, not colour alone.
    expect(await button(visitor).getAttribute("aria-haspopup")).to.equal("dialog");
    expect(
      await visitor
        .getByRole("button", { name: "Talk to us, Kettle help: nobody online, you can leave a message" })
        .count(),
    ).to.equal(1);
    const box = (await button(visitor).boundingBox())!;
    expect(box.x).to.be.closeTo(0, 1);
    expect(box.y + box.height / 2).to.be.closeTo(400, 2);
    // The shop's `button {…}` rules reach its own button, not the widget's.
    expect(
      await visitor.getByText("Add to basket").evaluate((b) => getComputedStyle(b).backgroundColor),
    ).to.equal(rgb("#ff00ff"));
    expect(await button(visitor).evaluate((b) => getComputedStyle(b).fontSize)).to.equal("15px");
    await shot(visitor, "web-widget-offline");

    expect(await violations(visitor)).to.deep.equal([]);
    // The policy is enforced: an inline style attribute, which the widget never uses, is refused.
    await visitor.evaluate(() => document.body.setAttribute("style", "outline: 1px solid red"));
    await until("the refused style attribute", async () =>
      (await violations(visitor)).length ? true : undefined,
    );
    expect(await violations(visitor)).to.deep.equal(["style-src-attr inline"]);
    await visitor.evaluate(() => {
      document.body.removeAttribute("style");
      (window as unknown as { cspViolations: string[] }).cspViolations.length = 0;
    });
  });

  it("turns to the online colour without a reload when an operator goes online", async function () {
    await visitor.evaluate(() => Object.assign(window, { sameDocument: true }));
    await goOnline(true);
    await buttonIn(visitor, "online").waitFor({ timeout: 10_000 });
    expect(await backgroundOf(visitor)).to.equal(rgb(ONLINE));
    expect(
      await visitor.getByRole("button", { name: "Talk to us, Kettle help: online now" }).count(),
    ).to.equal(1);
    expect(
      await visitor.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).to.equal(true);
    await shot(visitor, "web-widget-online");
  });

  it("takes the owner's changes (edge, text) with a later status, without a reload", async function () {
    const moved = await ext(base, "PUT", `/widgets/${widget.widget_id}`, owner.access_token, {
      side: "right",
      text: "Ask us",
    });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    // An edit does not wake the waiting poll; the operator's switching off and on again does, and
    // the poll after that reads the widget as it is now.
    await goOnline(false);
    await buttonIn(visitor, "offline").waitFor({ timeout: 10_000 });
    await goOnline(true);
    await buttonIn(visitor, "online").waitFor({ timeout: 10_000 });
    await visitor.getByRole("button", { name: "Ask us, Kettle help: online now" }).waitFor();
    const box = (await button(visitor).boundingBox())!;
    expect(box.x + box.width).to.be.closeTo(1280, 1);
    expect(
      await visitor.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).to.equal(true);
    await shot(visitor, "web-widget-right");
  });

  it("opens the call page in a dialog over the shop; the operator takes the call from the merged queue", async function () {
    // Esc closes the dialog and gives focus back to the shortcut.
    await button(visitor).click();
    const dialog = visitor.getByRole("dialog", { name: "Kettle help" });
    await dialog.waitFor();
    await visitor.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(
      await button(visitor).evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b),
    ).to.equal(true);

    await button(visitor).click();
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).to.equal("true");
    const frameElement = visitor.locator('[data-testid="widget-frame"]');
    expect(await frameElement.getAttribute("src")).to.equal(
      `${base}/call/${service.handle}?widget=${widget.widget_id}`,
    );
    expect(await frameElement.getAttribute("allow")).to.equal("camera; microphone; autoplay");
    const frame = frameElement.contentFrame();
    await frame.locator('[data-testid="call-form"][data-loaded]').waitFor();
    await frame.getByTestId("call-topic-input").fill(TOPIC);
    await frame.getByTestId("call-button").click();
    await frame.getByTestId("call-screen").waitFor();

    const queued = await until("the call in the operator's queue", async () => {
      const queue = await ext<{ calls: CallView[] }>(base, "GET", "/queue", operator.access_token);
      return queue.body.calls.find((c) => c.topic === TOPIC);
    });
    expect(queued.callee.user_id).to.not.equal(operator.user_id);
    expect(queued.caller.user_id).to.match(/^@guest-/);
    const taken = await ext<CallView>(base, "POST", `/calls/${queued.call_id}/take`, operator.access_token);
    expect(taken.body.state, JSON.stringify(taken.body)).to.equal("answered");
    await frame.locator('[data-testid="call-screen"][data-state="answered"]').waitFor();

    const chat = await api(
      base,
      "PUT",
      `${CS}/rooms/${encodeURIComponent(taken.body.room_id)}/send/m.room.message/w1`,
      {
        token: operator.access_token,
        body: { msgtype: "m.text", body: "Yes, in red and in green." },
      },
    );
    expect(chat.status, JSON.stringify(chat.body)).to.equal(200);
    await frame.getByTestId("message-body").filter({ hasText: "Yes, in red and in green." }).waitFor();
    await shot(visitor, "web-widget-call");

    expect(await violations(visitor)).to.deep.equal([]);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    await ext(base, "POST", `/calls/${queued.call_id}/end`, operator.access_token);
  });

  it("shows nothing on a site that is not one of the widget's origins, and does not keep asking", async function () {
    const statusPath = WidgetRoutes.status.replace(":widgetId", widget.widget_id);
    const context = await web.browser.newContext();
    const page = await context.newPage();
    const statuses: number[] = [];
    const warnings: string[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname === statusPath) statuses.push(r.status());
    });
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await page.goto(stranger.origin + "/");
    await buttonIn(page, "unavailable").waitFor({ state: "attached" });
    expect(await button(page).isVisible()).to.equal(false);
    expect(statuses).to.deep.equal([403]);
    expect(warnings.join("\n")).to.contain(`not set up for ${stranger.origin}`);
    await shot(page, "web-widget-refused");
    // A refusal is final: the first retry after a failure would come within a second.
    await page.waitForTimeout(2_000);
    expect(statuses).to.deep.equal([403]);
    await context.close();
  });
});
