/**
 * The domain addresses that reach a service (`sales@acme.com`, or the bare `acme.com`): only
 * the verified holder of the domain (under Names → My domains) gives them out, and the server
 * says so when someone else tries.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";

export interface AddressesView {
  element: HTMLElement;
  update: (service: ServiceView) => void;
}

export function createAddressesView(
  serviceId: string,
  services: ServicesApi,
  errors: ErrorLine,
  onChange: (service?: ServiceView) => void,
): AddressesView {
  const list = h("ul", { class: "plain-list", testid: "addresses" });
  const form = h(
    "form",
    { class: "inline-form", testid: "address-form" },
    h("input", {
      name: "address",
      required: true,
      maxlength: "320",
      placeholder: "sales@acme.com",
      "aria-label": "Address",
      autocomplete: "off",
      testid: "address-input",
    }),
    h("button", { type: "submit", class: "small", testid: "address-add" }, "Add address"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const address = field(form, "address");
    void busy(form, errors, () => services.addAddress(serviceId, address)).then((view) => {
      if (!view) return;
      form.reset();
      onChange(view);
    });
  });

  const row = (address: string) => {
    const remove = h("button", { type: "button", class: "small", testid: "address-remove" }, "Remove");
    remove.addEventListener("click", () => {
      void busy(remove, errors, () => services.removeAddress(serviceId, address)).then(
        (done) => done && onChange(),
      );
    });
    return h(
      "li",
      { class: "plain-item", "data-address": address, testid: "address" },
      h("code", { class: "grow" }, address),
      remove,
    );
  };

  return {
    element: h(
      "section",
      { class: "service-section", testid: "addresses-section" },
      h("h4", {}, "Addresses"),
      h("p", { class: "muted" }, "Let an address of a domain you verified under Names reach this service."),
      list,
      form,
    ),
    update: (service) => {
      if (service.addresses.length === 0) {
        replaceChildren(list, h("li", { class: "empty", testid: "addresses-empty" }, "No addresses."));
      } else replaceChildren(list, ...service.addresses.map(row));
    },
  };
}
