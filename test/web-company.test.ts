/**
 * A company's settings in the reference web client, real browsers against a real homeserver:
 * the team sets up a site widget for a service (its side, colours, text and sites), gets the tag
 * to paste with a copy button and the note on the Content-Security-Policy a site needs, sees the
 * server refuse an origin with a path, changes the sites and deletes the widget; the owner offers
 * a service to another person, who accepts it — in a browser of their own — into their company,
 * where it appears with its number, while the offer stays listed on both sides as accepted.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { ServiceView } from "../protocol/callsign/services.js";
import { ServicesApi, WidgetsApi } from "../clients/sdk/src/index.js";
import { WidgetRoutes } from "../protocol/callsign/routes.js";
import {
  accessTokenOf,
  createCompany,
  openDetails,
  openServices,
  serviceCard,
} from "./helpers/services-pages.js";
import { shot, waitForText } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

describe("web client company settings", function () {
  this.timeout(120_000);

  const web = webSuite();

  const run = Date.now().toString(36);
  const password = "correct horse 1";
  const buyerEmail = `buyer-${run}@example.org`;
  let owner: Page;
  let customerId = "";
  let shop: ServiceView;
  let spare: ServiceView;

  before(async function () {
    owner = await web.pages.open();
    await web.pages.signUp(owner, { email: `shopowner-${run}@example.org`, password });
    const services = new ServicesApi(web.network.baseUrl, await accessTokenOf(owner));
    customerId = (await services.createCustomer({ name: `Kettle Co ${run}` })).customer_id;
    shop = await services.createService(customerId, {
      service_id: `kettles${run}`,
      display_name: "Kettle Shop",
    });
    spare = await services.createService(customerId, {
      service_id: `teapots${run}`,
      display_name: "Teapot Desk",
    });
  });

  it("sets up a site widget, shows its tag to paste, changes its sites and deletes it", async function () {
    await owner
      .context()
      .grantPermissions(["clipboard-read", "clipboard-write"], { origin: web.network.baseUrl });
    await openServices(owner);
    const section = owner.getByTestId("widgets-section");
    await section.locator('[data-testid="widgets"][data-loaded]').waitFor();
    await section.getByTestId("widgets-empty").waitFor();

    await section.getByTestId("widget-new").click();
    const form = section.getByTestId("widget-form");
    expect(await form.locator('[data-testid="widget-service"] option').allTextContents()).to.deep.equal([
      "Kettle Shop",
      "Teapot Desk",
    ]);
    await form.getByTestId("widget-service").selectOption(shop.service_id);
    await form.getByTestId("widget-side").selectOption("left");
    await form.getByTestId("widget-color-online").fill("#0a7d32");
    await form.getByTestId("widget-color-offline").fill("#8a5a00");
    await form.getByTestId("widget-text").fill("Talk to us");
    // A path is not an origin: the server says so, in the form.
    await form.getByTestId("widget-origins").fill("https://www.kettles.example/shop");
    await form.getByTestId("widget-save").click();
    await waitForText(
      owner,
      "widget-error",
      /^M_BAD_JSON: origins\.0: an origin is scheme:\/\/host\[:port\]/,
    );
    await form.getByTestId("widget-origins").fill("https://www.kettles.example\n\nhttp://127.0.0.1:9911\n");
    await section.scrollIntoViewIfNeeded();
    await shot(owner, "web-company-widget-form");
    await form.getByTestId("widget-save").click();

    const item = section.getByTestId("widget");
    await item.waitFor();
    expect(await section.getByTestId("widget-form").count()).to.equal(0);
    const widgets = new WidgetsApi(web.network.baseUrl, await accessTokenOf(owner));
    const [stored] = (await widgets.list(customerId)).widgets;
    expect(stored).to.include({
      service_id: shop.service_id,
      side: "left",
      color_online: "#0a7d32",
      color_offline: "#8a5a00",
      text: "Talk to us",
    });
    expect(stored!.origins).to.deep.equal(["https://www.kettles.example", "http://127.0.0.1:9911"]);
    expect(await item.getByTestId("widget-service-name").textContent()).to.equal("Kettle Shop");
    expect(await item.getByTestId("widget-snippet").textContent()).to.equal(
      `<script src="${web.network.baseUrl}${WidgetRoutes.script}" data-widget="${stored!.widget_id}" async></script>`,
    );
    expect(await item.getByTestId("widget-csp").textContent()).to.equal(
      "Paste the tag into every page of those sites. A site with a Content-Security-Policy must allow " +
        `${web.network.baseUrl} in script-src, connect-src and frame-src.`,
    );
    await item.getByTestId("widget-copy").click();
    await item.getByTestId("widget-copy").filter({ hasText: "Copied" }).waitFor();
    expect(await owner.evaluate(() => navigator.clipboard.readText())).to.equal(stored!.snippet);
    await item.scrollIntoViewIfNeeded();
    await shot(owner, "web-company-widget");

    await item.getByTestId("widget-edit").click();
    await item
      .getByTestId("widget-origins")
      .fill("https://www.kettles.example\nhttps://shop.kettles.example");
    await item.getByTestId("widget-side").selectOption("right");
    await item.getByTestId("widget-save").click();
    await waitForText(
      owner,
      "widget-origins-text",
      "https://www.kettles.example, https://shop.kettles.example",
    );
    expect(await item.getAttribute("data-side")).to.equal("right");
    const [changed] = (await widgets.list(customerId)).widgets;
    expect([changed!.side, changed!.origins, changed!.text]).to.deep.equal([
      "right",
      ["https://www.kettles.example", "https://shop.kettles.example"],
      "Talk to us",
    ]);

    await item.getByTestId("widget-delete").click();
    await item.getByTestId("widget-delete").filter({ hasText: "sure?" }).click();
    await section.getByTestId("widgets-empty").waitFor();
    expect((await widgets.list(customerId)).widgets).to.deep.equal([]);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });

  it("offers a service to another person, who accepts it into their company in their own browser", async function () {
    const buyer = await web.pages.open();
    await web.pages.signUp(buyer, { email: buyerEmail, password });
    await createCompany(buyer, `Buyer Co ${run}`);
    await buyer.getByTestId("service-transfers").waitFor({ state: "hidden" });

    await openServices(owner);
    const card = serviceCard(owner, "Kettle Shop");
    const offer = await openDetails(card, "offer-details");
    await offer.getByTestId("offer-to").fill(buyerEmail);
    await offer.getByTestId("offer-note").fill("As agreed on the phone: yours from Monday.");
    await offer.getByTestId("offer-send").click();
    await waitForText(owner, "offer-sent", `Offered to ${buyerEmail} until `);
    const outgoing = owner.getByTestId("offers-outgoing").getByTestId("offer");
    await outgoing.getByTestId("offer-state").filter({ hasText: "Open" }).waitFor();
    expect(await outgoing.getByTestId("offer-service").textContent()).to.equal("Kettle Shop");
    await outgoing.getByTestId("offer-cancel").waitFor();
    await shot(owner, "web-company-offer");

    // One open offer per service: a second one is refused, and the server says why.
    await offer.getByTestId("offer-to").fill(buyerEmail);
    await offer.getByTestId("offer-send").click();
    await waitForText(owner, "offer-error", /^IO_CALLSIGN_BAD_TRANSITION: /);

    await openServices(buyer);
    const incoming = buyer.getByTestId("offers-incoming").getByTestId("offer");
    await incoming.waitFor();
    expect(await incoming.getByTestId("offer-parties").textContent()).to.equal(`From Kettle Co ${run}`);
    expect(await incoming.getByTestId("offer-note-text").textContent()).to.equal(
      "As agreed on the phone: yours from Monday.",
    );
    expect(await incoming.locator('[data-testid="offer-into"] option').allTextContents()).to.deep.equal([
      `Buyer Co ${run}`,
    ]);
    await shot(buyer, "web-company-offered");
    await incoming.getByTestId("offer-accept").click();
    await incoming.getByTestId("offer-state").filter({ hasText: "Accepted" }).waitFor();
    const moved = serviceCard(buyer, "Kettle Shop");
    await moved.waitFor();
    expect(await moved.getByTestId("service-dial").textContent()).to.equal(`${shop.handle} · ${shop.number}`);
    expect(await moved.getAttribute("data-service-id")).to.equal(shop.service_id);
    await moved.scrollIntoViewIfNeeded();
    await shot(buyer, "web-company-accepted");

    // The seller's side: the service is gone from the company, the offer says accepted.
    await openServices(owner);
    await owner
      .getByTestId("offers-outgoing")
      .getByTestId("offer-state")
      .filter({ hasText: "Accepted" })
      .waitFor();
    await serviceCard(owner, "Kettle Shop").waitFor({ state: "detached" });
    await serviceCard(owner, "Teapot Desk").waitFor();
    expect(await owner.getByTestId("offer-cancel").count()).to.equal(0);

    // An offer of the other service, cancelled by the owner before the buyer decides.
    const spareCard = serviceCard(owner, spare.display_name);
    const spareOffer = await openDetails(spareCard, "offer-details");
    await spareOffer.getByTestId("offer-to").fill(buyerEmail);
    await spareOffer.getByTestId("offer-send").click();
    const open = owner.locator('[data-testid="offers-outgoing"] [data-testid="offer"]').filter({
      hasText: spare.display_name,
    });
    await open.getByTestId("offer-cancel").click();
    await open.getByTestId("offer-state").filter({ hasText: "Cancelled" }).waitFor();
    await openServices(buyer);
    const cancelled = buyer.getByTestId("offers-incoming").getByTestId("offer").filter({
      hasText: spare.display_name,
    });
    await cancelled.getByTestId("offer-state").filter({ hasText: "Cancelled" }).waitFor();
    expect(await cancelled.getByTestId("offer-accept").count()).to.equal(0);
    expect(web.pages.pageErrors).to.deep.equal([]);
  });
});
