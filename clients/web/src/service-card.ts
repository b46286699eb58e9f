/**
 * One service as its customer's team runs it: what callers dial (its handle once the service id
 * is active, and its number), the service id's state with Pay while it is held, and the
 * operators, operating hours and addresses. Every change answers the new `ServiceView`, which
 * redraws the card; the hours editor keeps edits not saved yet.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { NamesApi, ServicesApi } from "../../sdk/src/index.js";
import { createAddressesView } from "./addresses-view.js";
import { h, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createHoursEditor } from "./hours-editor.js";
import { createOperatorsView } from "./operators-view.js";
import { createServiceNameView } from "./service-name-view.js";
import { operatorsOnlineText } from "./services-text.js";

export interface ServiceCardOptions {
  services: ServicesApi;
  names: NamesApi;
  errors: ErrorLine;
}

export function serviceCard(first: ServiceView, options: ServiceCardOptions): ListItem<ServiceView> {
  const { services, names, errors } = options;
  const serviceId = first.service_id;
  const reload = () => {
    services.service(serviceId).then(update, (error: unknown) => errors.show(error));
  };
  const changed = (view?: ServiceView) => (view ? update(view) : reload());

  const title = h("strong", { class: "name-title", testid: "service-display-name" });
  const dial = h("span", { class: "muted", testid: "service-dial" });
  const open = h("span", { class: "pill", testid: "service-open" });
  const online = h("p", { class: "muted", testid: "service-online" });
  const name = createServiceNameView(names, errors, reload);
  const operators = createOperatorsView(serviceId, services, errors, changed);
  const hours = createHoursEditor(serviceId, services, changed);
  const addresses = createAddressesView(serviceId, services, errors, changed);

  const element = h(
    "li",
    { class: "service-item", "data-service-id": serviceId, testid: "service-card" },
    h("div", { class: "name-head" }, title, dial, open),
    online,
    name.element,
    h(
      "details",
      // A service nobody operates yet needs setting up: open it.
      { class: "service-details", open: first.operators.length === 0, testid: "service-details" },
      h("summary", { testid: "service-manage" }, "Operators, hours and addresses"),
      operators.element,
      hours.element,
      addresses.element,
    ),
  );

  function update(view: ServiceView): void {
    element.dataset.handle = view.handle ?? "";
    title.textContent = view.display_name;
    dial.textContent = view.handle ? `${view.handle} · ${view.number}` : view.number;
    open.textContent = view.open ? "Open" : "Closed";
    open.className = view.open ? "pill ok" : "pill no";
    open.title = view.open ? "Within its operating hours" : "Outside its operating hours";
    online.textContent = operatorsOnlineText(view.online_operators, view.operators.length);
    name.update(view.name);
    operators.update(view);
    hours.update(view);
    addresses.update(view);
  }
  update(first);
  return { element, update };
}
