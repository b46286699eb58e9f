/**
 * One customer (a company or community) as its management team sees it: the team; its services
 * with the form that creates one — a service id, reserved through the names registry (free ids
 * are active at once, priced ones wait for payment), and the name callers see; its site widgets;
 * and its payments ledger.
 */
import type { PlanView } from "../../../protocol/callsign/billing.js";
import type { CustomerView } from "../../../protocol/callsign/customers.js";
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { BillingApi, NamesApi, ServicesApi, WidgetsApi } from "../../sdk/src/index.js";
import { busy, field, h, keyedList } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createLedgerView } from "./ledger-view.js";
import { serviceCard } from "./service-card.js";
import { createTeamView } from "./team-view.js";
import { createWidgetsView } from "./widgets-view.js";

/** What every company screen is built with, handed down from the Services pane. */
export interface CompanyContext {
  services: ServicesApi;
  names: NamesApi;
  billing: BillingApi;
  widgets: WidgetsApi;
  errors: ErrorLine;
  userId: string;
}

export interface CustomerViewOptions extends CompanyContext {
  /** The provider's plans (read once for all customers). */
  plans: () => Promise<PlanView[]>;
  /** The user left the customer's team. */
  onLeft: () => void;
  /** A service was offered to another owner. */
  onOffered: () => void;
}

export interface CustomerPanel {
  element: HTMLElement;
  /** Reads the customer's team and services again. */
  refresh: () => void;
}

export function createCustomerView(first: CustomerView, options: CustomerViewOptions): CustomerPanel {
  const { services, errors } = options;
  const customerId = first.customer_id;
  let customer = first;
  /** The customer's services as last read. */
  let current: ServiceView[] = [];
  const title = h("h2", { testid: "customer-name" }, first.name);
  const team = createTeamView(customerId, {
    ...options,
    onChange: (view) => (view ? showTeam(view) : options.onLeft()),
  });
  const showTeam = (view: CustomerView) => {
    customer = view;
    team.update(view);
  };
  showTeam(first);
  const isOwner = () => customer.team.some((m) => m.user_id === options.userId && m.role === "owner");
  const widgets = createWidgetsView(customerId, options.widgets, errors, () => current);
  const ledger = createLedgerView(customerId, options.billing, errors);

  const list = h("ul", { class: "service-list", testid: "services" });
  const draw = keyedList(
    list,
    (s: ServiceView) => s.service_id,
    (s) => serviceCard(s, { ...options, siblings: () => current, isOwner }),
    () =>
      h(
        "li",
        { class: "empty", testid: "services-empty" },
        "No services yet. A service is a virtual front desk: callers dial its id, operators answer.",
      ),
  );
  const show = (next: ServiceView[]) => {
    current = next;
    draw(next);
    list.dataset.loaded = "true";
    widgets.servicesChanged();
  };

  const form = h(
    "form",
    { class: "service-form", testid: "service-form" },
    h(
      "label",
      {},
      h("span", {}, "Service id (what callers dial)"),
      h("input", {
        name: "service_id",
        required: true,
        maxlength: "64",
        placeholder: "acmesupport",
        autocomplete: "off",
        spellcheck: "false",
        testid: "service-id-input",
      }),
    ),
    h(
      "label",
      {},
      h("span", {}, "Display name (what callers see)"),
      h("input", {
        name: "display_name",
        required: true,
        maxlength: "100",
        placeholder: "Acme support",
        testid: "service-name-input",
      }),
    ),
    h("button", { type: "submit", class: "primary", testid: "service-create" }, "Create service"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = { service_id: field(form, "service_id"), display_name: field(form, "display_name") };
    void busy(form, errors, () => services.createService(customerId, request)).then((created) => {
      if (!created) return;
      form.reset();
      // Read the list again: the cards shown may have changed since it was last read.
      readServices();
    });
  });

  const readServices = () => {
    services.services(customerId).then(
      (view) => show(view.services),
      (error: unknown) => errors.show(error),
    );
  };
  const refresh = () => {
    services.customer(customerId).then(showTeam, (error: unknown) => errors.show(error));
    readServices();
    widgets.refresh();
    ledger.refresh();
  };

  return {
    element: h(
      "div",
      { class: "customer", "data-customer-id": customerId, testid: "customer" },
      h(
        "section",
        { class: "card" },
        h("div", { class: "name-head" }, title, h("span", { class: "pill" }, first.kind)),
        team.element,
      ),
      h(
        "section",
        { class: "card", testid: "services-section" },
        h("h2", {}, "Services"),
        list,
        h("h3", {}, "New service"),
        form,
      ),
      widgets.element,
      ledger.element,
    ),
    refresh,
  };
}
