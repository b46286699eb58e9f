/**
 * The site widget's server side (issue 5): the team sets a widget up for a service and its
 * sites; the public status answers only those sites (CORS for exactly that origin), follows the
 * service's state, and a waiting poll wakes when an operator goes online; the call page opened
 * from the widget may be framed by those sites only, every other page by nobody.
 */
import { expect } from "chai";
import type { CustomerView } from "../protocol/callsign/customers.js";
import { WidgetRoutes } from "../protocol/callsign/routes.js";
import type { ServiceView } from "../protocol/callsign/services.js";
import type { WidgetStatus, WidgetView } from "../protocol/callsign/widgets.js";
import { ext, subscriber, type Subscriber } from "./helpers/calls.js";
import { TestNetwork } from "./helpers/test-network.js";

const SITE = "http://127.0.0.1:9911";

describe("site widgets (server)", function () {
  this.timeout(30_000);
  let net: TestNetwork;
  let url: string;
  let owner: Subscriber;
  let op: Subscriber;
  let service: ServiceView;
  let widget: WidgetView;
  before(async () => {
    net = await TestNetwork.start();
    url = net.baseUrl;
    owner = await subscriber(url);
    op = await subscriber(url, { online: true });
    const customerId = (
      await ext<CustomerView>(url, "POST", "/customers", owner.access_token, { name: "Site Co" })
    ).body.customer_id;
    service = (
      await ext<ServiceView>(url, "POST", `/customers/${customerId}/services`, owner.access_token, {
        service_id: `sitedesk${Date.now() % 100000}`,
        display_name: "Site desk",
      })
    ).body;
    await ext(url, "POST", `/services/${service.service_id}/operators`, owner.access_token, {
      email: op.email,
    });
    const created = await ext<WidgetView>(
      url,
      "POST",
      `/customers/${customerId}/widgets`,
      owner.access_token,
      {
        service_id: service.service_id,
        side: "left",
        color_online: "#00AA00",
        text: "Talk to us",
        origins: [SITE],
      },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    widget = created.body;
  });
  after(() => net?.close());

  const status = (origin: string | undefined, query = "") =>
    fetch(`${url}${WidgetRoutes.status.replace(":widgetId", widget.widget_id)}${query}`, {
      headers: origin ? { origin } : {},
    });

  it("is set up by the team with its sites, and gives the tag to paste", async () => {
    expect(widget).to.include({
      side: "left",
      color_online: "#00aa00",
      color_offline: "#6e7781",
      text: "Talk to us",
    });
    expect(widget.snippet).to.equal(
      `<script src="${url}${WidgetRoutes.script}" data-widget="${widget.widget_id}" async></script>`,
    );
    const badOrigin = await ext(url, "POST", `/customers/${widget.customer_id}/widgets`, owner.access_token, {
      service_id: service.service_id,
      origins: ["https://acme.com/path"],
    });
    expect([badOrigin.status, badOrigin.body.errcode]).to.deep.equal([400, "M_BAD_JSON"]);
    const stranger = await subscriber(url);
    const peek = await ext(url, "PUT", `/widgets/${widget.widget_id}`, stranger.access_token, { text: "x" });
    expect(peek.status).to.equal(404);
  });

  it("answers its own sites only, with CORS for exactly that origin, and follows the service's state", async () => {
    const res = await status(SITE);
    expect(res.status).to.equal(200);
    expect(res.headers.get("access-control-allow-origin")).to.equal(SITE);
    expect(res.headers.get("vary")).to.match(/Origin/);
    const offline = (await res.json()) as WidgetStatus;
    expect(offline).to.include({
      state: "offline",
      color: "#6e7781",
      side: "left",
      display_name: "Site desk",
    });
    expect(offline.call_url).to.equal(`${url}/call/${service.handle}?widget=${widget.widget_id}`);

    const other = await status("https://evil.example");
    const body = (await other.json()) as { errcode: string };
    expect([other.status, body.errcode]).to.deep.equal([403, "M_FORBIDDEN"]);
    expect(other.headers.get("access-control-allow-origin")).to.not.equal("https://evil.example");
    const unknown = await fetch(`${url}${WidgetRoutes.status.replace(":widgetId", "w_nope")}`);
    expect(unknown.status).to.equal(404);
  });

  it("wakes a waiting poll when an operator goes online", async () => {
    const started = Date.now();
    const waiting = status(SITE, "?since=offline&timeout=20000");
    await new Promise((r) => setTimeout(r, 300));
    await ext(url, "PUT", `/services/${service.service_id}/online`, op.access_token, { online: true });
    const woken = (await (await waiting).json()) as WidgetStatus;
    expect(woken).to.include({ state: "online", color: "#00aa00" });
    expect(Date.now() - started).to.be.below(10_000);
    // A poll whose state is already stale answers at once.
    const stale = (await (await status(SITE, "?since=offline&timeout=20000")).json()) as WidgetStatus;
    expect(stale.state).to.equal("online");
  });

  it("lets only the widget's sites frame its call page, and nobody frame other pages", async () => {
    const framed = await fetch(`${url}/call/${service.handle}?widget=${widget.widget_id}`);
    expect(framed.headers.get("content-security-policy")).to.equal(`frame-ancestors ${SITE}`);
    const plain = await fetch(`${url}/call/${service.handle}`);
    expect(plain.headers.get("content-security-policy")).to.equal("frame-ancestors 'none'");
    const home = await fetch(`${url}/`);
    expect(home.headers.get("content-security-policy")).to.equal("frame-ancestors 'none'");
    expect(home.headers.get("x-content-type-options")).to.equal("nosniff");
    const forged = await fetch(`${url}/call/${service.handle}?widget=w_unknown`);
    expect(forged.headers.get("content-security-policy")).to.equal("frame-ancestors 'none'");
  });
});
