/**
 * One service as its customer's team runs it: what callers dial (its handle once the service id
 * is active, and its number), the service id's state with Pay while it is held, its subscription
 * with Pay next period; behind their summaries the operators, operating hours and addresses, how
 * calls are handed out and routed by topic, the plan and invoices, and (for the owner) the
 * transfer of the service to another owner. Every change answers the new `ServiceView`, which
 * redraws the card; the editors keep edits not saved yet.
 */
import type { PlanView } from "../../../protocol/callsign/billing.js";
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { BillingApi, NamesApi, ServicesApi } from "../../sdk/src/index.js";
import { createAddressesView } from "./addresses-view.js";
import { createDistributionView } from "./distribution-view.js";
import { h, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createHoursEditor } from "./hours-editor.js";
import { createOperatorsView } from "./operators-view.js";
import { createRoutesEditor } from "./routes-editor.js";
import { createServiceBilling } from "./service-billing.js";
import { createServiceNameView } from "./service-name-view.js";
import { createServiceOfferView } from "./service-offer-view.js";
import { operatorsOnlineText } from "./services-text.js";

export interface ServiceCardOptions {
  services: ServicesApi;
  names: NamesApi;
  billing: BillingApi;
  errors: ErrorLine;
  /** The provider's plans (read once for all cards). */
  plans: () => Promise<PlanView[]>;
  /** The customer's services as last read: where routing rules may send calls. */
  siblings: () => ServiceView[];
  /** Whether the user owns the customer: refunds and transferring the service are theirs. */
  isOwner: () => boolean;
  /** The service was offered to another owner. */
  onOffered: () => void;
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
  const distribution = createDistributionView(serviceId, services, changed);
  const routes = createRoutesEditor(serviceId, services, options.siblings, changed);
  const billing = createServiceBilling(serviceId, { ...options, onPlan: distribution.setPlan });
  const offer = createServiceOfferView(serviceId, services, options.onOffered);

  const element = h(
    "li",
    { class: "service-item", "data-service-id": serviceId, testid: "service-card" },
    h("div", { class: "name-head" }, title, dial, open),
    online,
    name.element,
    billing.summary,
    h(
      "details",
      // A service nobody operates yet needs setting up: open it.
      { class: "service-details", open: first.operators.length === 0, testid: "service-details" },
      h("summary", { testid: "service-manage" }, "Operators, hours and addresses"),
      operators.element,
      hours.element,
      addresses.element,
    ),
    h(
      "details",
      { class: "service-details", testid: "calls-details" },
      h("summary", { testid: "calls-manage" }, "Distribution and routing"),
      distribution.element,
      routes.element,
    ),
    billing.details,
    offer.element,
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
    distribution.update(view);
    routes.update(view);
    offer.setOwner(options.isOwner());
  }
  update(first);
  return {
    element,
    // Read with the customer's list (the pane was opened, a service was created): the
    // subscription may have moved since, so it is read again too.
    update: (view) => {
      update(view);
      billing.refresh();
    },
  };
}
