/**
 * "Service transfers": offers of whole services between owners. Offers made to the user come
 * with Accept — into one of the companies they own — and Decline; offers of the user's companies
 * to somebody else can be cancelled while they are open. Every offer shows its state and dates;
 * decided ones stay listed as the record of the move. The card is hidden while there are none.
 */
import type { CustomerView } from "../../../protocol/callsign/customers.js";
import type { ServiceTransferView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { localpart } from "./identifiers.js";
import { OFFER_LABELS, offerDatesText, offerState } from "./services-text.js";

export interface ServiceTransfersViewOptions {
  services: ServicesApi;
  errors: ErrorLine;
  userId: string;
  /** A service was accepted into the user's company `customerId`. */
  onAccepted: (customerId: string) => void;
}

export interface ServiceTransfersView {
  element: HTMLElement;
  /** Reads the offers again. */
  refresh: () => void;
}

export function createServiceTransfersView(options: ServiceTransfersViewOptions): ServiceTransfersView {
  const { services, errors, userId } = options;
  const incoming = h("ul", { class: "plain-list offers", testid: "offers-incoming" });
  const outgoing = h("ul", { class: "plain-list offers", testid: "offers-outgoing" });
  const incomingBox = h("div", { class: "offers-box" }, h("h3", {}, "Offered to you"), incoming);
  const outgoingBox = h("div", { class: "offers-box" }, h("h3", {}, "Offered by your companies"), outgoing);
  const element = h(
    "section",
    { class: "card", hidden: true, testid: "service-transfers" },
    h("h2", {}, "Service transfers"),
    incomingBox,
    outgoingBox,
  );

  const head = (offer: ServiceTransferView, line: string) => {
    const state = offerState(offer);
    return [
      h(
        "div",
        { class: "name-head" },
        h("strong", { class: "name-title", testid: "offer-service" }, offer.display_name),
        offer.handle && h("span", { class: "muted" }, offer.handle),
        h("span", { class: `pill offer-${state}`, testid: "offer-state" }, OFFER_LABELS[state]),
      ),
      h("p", { class: "muted", testid: "offer-parties" }, line),
      offer.note && h("q", { class: "hop-note", testid: "offer-note-text" }, offer.note),
      h("p", { class: "muted small-text", testid: "offer-dates" }, offerDatesText(offer)),
    ];
  };

  const incomingItem = (offer: ServiceTransferView, owned: CustomerView[]) => {
    const open = offerState(offer) === "offered";
    let actions: HTMLElement | null = null;
    if (open && owned.length === 0) {
      actions = h(
        "p",
        { class: "note", testid: "offer-needs-company" },
        "Create a company under My companies to take the service into it, then accept.",
      );
    } else if (open) {
      const into = h(
        "select",
        { name: "customer_id", "aria-label": "Into company", testid: "offer-into" },
        ...owned.map((c) => h("option", { value: c.customer_id }, c.name)),
      );
      const accept = h(
        "button",
        { type: "submit", class: "primary small", testid: "offer-accept" },
        "Accept",
      );
      const decline = h("button", { type: "button", class: "small", testid: "offer-decline" }, "Decline");
      const form = h(
        "form",
        { class: "inline-form" },
        h("span", { class: "muted" }, "Into"),
        into,
        accept,
        decline,
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const customerId = into.value;
        void busy(form, errors, () => services.acceptService(offer.offer_id, customerId)).then((done) => {
          if (!done) return;
          refresh();
          options.onAccepted(customerId);
        });
      });
      decline.addEventListener("click", () => {
        void busy(form, errors, () => services.declineService(offer.offer_id)).then(
          (done) => done && refresh(),
        );
      });
      actions = form;
    }
    return h(
      "li",
      { class: "offer", "data-offer-id": offer.offer_id, testid: "offer" },
      ...head(offer, `From ${offer.from_customer.name}`),
      actions,
    );
  };

  const outgoingItem = (offer: ServiceTransferView) => {
    let cancel: HTMLButtonElement | null = null;
    if (offerState(offer) === "offered") {
      const button = h("button", { type: "button", class: "small", testid: "offer-cancel" }, "Cancel offer");
      button.addEventListener("click", () => {
        void busy(button, errors, () => services.cancelServiceOffer(offer.offer_id)).then(
          (done) => done && refresh(),
        );
      });
      cancel = button;
    }
    return h(
      "li",
      { class: "offer", "data-offer-id": offer.offer_id, testid: "offer" },
      ...head(offer, `From ${offer.from_customer.name} to ${localpart(offer.to_user)}`),
      cancel && h("div", { class: "row" }, cancel),
    );
  };

  function refresh(): void {
    Promise.all([services.serviceTransfers(), services.customers()]).then(
      ([{ offers }, { customers }]) => {
        const owned = customers.filter((c) => c.team.some((m) => m.user_id === userId && m.role === "owner"));
        const toMe = offers.filter((o) => o.to_user === userId);
        const byUs = offers.filter((o) => o.to_user !== userId);
        replaceChildren(incoming, ...toMe.map((o) => incomingItem(o, owned)));
        replaceChildren(outgoing, ...byUs.map(outgoingItem));
        incomingBox.hidden = toMe.length === 0;
        outgoingBox.hidden = byUs.length === 0;
        element.hidden = offers.length === 0;
        element.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
  }

  return { element, refresh };
}
