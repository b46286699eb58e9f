/**
 * Transferring a service to another owner, on its card, for the customer's owner only: the
 * service — its id, number, subscription, invoices and history — is offered to the person a
 * handle names, with a note; they accept it into a company of theirs (or decline) under
 * "Service transfers", where the offer can also be cancelled while it is open. Operators, site
 * widgets, domain addresses and routing rules stay with this company.
 */
import type { ServicesApi } from "../../sdk/src/index.js";
import { busy, field, h } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { formatWhen } from "./names-text.js";

export interface ServiceOfferView {
  element: HTMLElement;
  /** Shown to the customer's owner only. */
  setOwner: (owner: boolean) => void;
}

export function createServiceOfferView(
  serviceId: string,
  services: ServicesApi,
  /** An offer was made (the list of transfers changed). */
  onOffered: () => void,
): ServiceOfferView {
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "offer-error" });
  const errors = new ErrorLine(errorText);
  const done = h("p", { class: "notice", role: "status", hidden: true, testid: "offer-sent" });
  const form = h(
    "form",
    { class: "offer-form", testid: "offer-form" },
    h(
      "label",
      {},
      h("span", {}, "To (e-mail, number or user name of the new owner)"),
      h("input", {
        name: "to",
        required: true,
        maxlength: "320",
        autocomplete: "off",
        spellcheck: "false",
        testid: "offer-to",
      }),
    ),
    h(
      "label",
      {},
      h("span", {}, "Note (optional)"),
      h("textarea", { name: "note", rows: "2", maxlength: "1000", testid: "offer-note" }),
    ),
    errorText,
    h("button", { type: "submit", class: "small", testid: "offer-send" }, "Offer the service"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = field(form, "to");
    const note = field(form, "note");
    void busy(form, errors, () => services.offerService(serviceId, { to, ...(note && { note }) })).then(
      (offer) => {
        if (!offer) return;
        form.reset();
        done.textContent =
          `Offered to ${to} until ${formatWhen(offer.expires_at)}. They accept it into a company of ` +
          'theirs under Services; you can cancel it under "Service transfers" until then.';
        done.hidden = false;
        onOffered();
      },
    );
  });

  const element = h(
    "details",
    { class: "service-details", testid: "offer-details" },
    h("summary", { testid: "offer-manage" }, "Transfer to another owner"),
    h(
      "section",
      { class: "service-section", testid: "offer-section" },
      h(
        "p",
        { class: "muted" },
        "The service moves with its id, number, subscription, invoices and history. Its operators, " +
          "site widgets, addresses and routing rules stay with this company.",
      ),
      form,
      done,
    ),
  );
  return { element, setOwner: (owner) => (element.hidden = !owner) };
}
