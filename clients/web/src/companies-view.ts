/**
 * "My companies": the customers whose management team the user is on, one chosen at a time
 * (its team and services below), and the form that creates a customer with the user as owner.
 */
import type { PlanView } from "../../../protocol/callsign/billing.js";
import type { CustomerView } from "../../../protocol/callsign/customers.js";
import { createCustomerView, type CompanyContext, type CustomerPanel } from "./customer-view.js";
import { busy, field, h, replaceChildren } from "./dom.js";

export interface CompaniesViewOptions extends CompanyContext {
  /** A service was offered to another owner. */
  onOffered: () => void;
}

export interface CompaniesView {
  element: HTMLElement;
  /** Reads the customers again, choosing `customerId` when given. */
  refresh: (customerId?: string) => void;
}

export function createCompaniesView(options: CompaniesViewOptions): CompaniesView {
  const { services, errors } = options;
  let customers: CustomerView[] = [];
  // The provider's plans change only with its configuration: read once, again after a failure.
  let plansRead: Promise<PlanView[]> | null = null;
  const plans = () => {
    plansRead ??= options.billing.plans().then(
      (view) => view.plans,
      (error: unknown) => {
        plansRead = null;
        throw error;
      },
    );
    return plansRead;
  };
  let selected: string | null = null;
  let panel: CustomerPanel | null = null;
  const picker = h("div", { class: "row customer-picker", testid: "customers" });
  const body = h("div", { class: "customer-body" });

  const form = h(
    "form",
    { class: "inline-form", testid: "customer-form" },
    h("input", {
      name: "name",
      required: true,
      maxlength: "100",
      placeholder: "Company or community name",
      "aria-label": "Name",
      testid: "customer-name-input",
    }),
    h(
      "select",
      { name: "kind", "aria-label": "Kind", testid: "customer-kind" },
      h("option", { value: "company" }, "Company"),
      h("option", { value: "community" }, "Community"),
    ),
    h("button", { type: "submit", class: "primary", testid: "customer-create" }, "Create"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Read before `busy` disables the form: disabled fields are not in its data.
    const request = {
      name: field(form, "name"),
      kind: field(form, "kind") === "community" ? "community" : "company",
    } as const;
    void busy(form, errors, () => services.createCustomer(request)).then((created) => {
      if (!created) return;
      form.reset();
      show([...customers, created], created.customer_id);
    });
  });

  const select = (customer: CustomerView) => {
    selected = customer.customer_id;
    panel = createCustomerView(customer, { ...options, plans, onLeft: () => refresh() });
    replaceChildren(body, panel.element);
    panel.refresh();
    drawPicker();
  };
  const drawPicker = () => {
    picker.dataset.loaded = "true";
    if (customers.length === 0) {
      return replaceChildren(
        picker,
        h("span", { class: "muted", testid: "customers-empty" }, "None yet: create one here."),
      );
    }
    replaceChildren(
      picker,
      ...customers.map((c) => {
        const button = h(
          "button",
          {
            type: "button",
            class: "chip",
            "aria-current": String(c.customer_id === selected),
            "data-customer-id": c.customer_id,
            testid: "customer-chip",
          },
          c.name,
        );
        button.addEventListener("click", () => select(c));
        return button;
      }),
    );
  };
  const show = (next: CustomerView[], choose: string | null = selected) => {
    customers = next;
    const chosen = next.find((c) => c.customer_id === choose) ?? next[0];
    if (!chosen) {
      selected = null;
      panel = null;
      replaceChildren(body);
    } else if (chosen.customer_id !== selected || !panel) {
      select(chosen);
      return;
    } else panel.refresh();
    drawPicker();
  };
  function refresh(customerId?: string): void {
    services.customers().then(
      (view) => show(view.customers, customerId ?? selected),
      (error: unknown) => errors.show(error),
    );
  }

  return {
    element: h(
      "div",
      { class: "companies", testid: "companies" },
      h(
        "section",
        { class: "card" },
        h("h2", {}, "My companies"),
        h(
          "p",
          { class: "muted" },
          "Companies and communities you run Webcam services for, as owner or manager.",
        ),
        picker,
        form,
      ),
      body,
    ),
    refresh,
  };
}
