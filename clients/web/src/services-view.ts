/**
 * The Services pane (accounts only, not guests): "I operate" — the services the user answers
 * calls for, with their online switch and inbox — and the offers of whole services between
 * owners, beside "My companies", the customers the user runs services for. Calls to the services
 * arrive in the queue on the Calls pane.
 */
import { createCompaniesView } from "./companies-view.js";
import type { CompanyContext } from "./customer-view.js";
import { h } from "./dom.js";
import { createOperatedList, type OperatedListOptions } from "./operated-list.js";
import { createServiceTransfersView } from "./service-transfers-view.js";

/** Handed down whole: to "I operate", to the service transfers and to "My companies". */
export type ServicesPaneOptions = CompanyContext & OperatedListOptions;

export interface ServicesPane {
  element: HTMLElement;
  /** Reads everything again (when the pane is shown). */
  open: () => void;
  close: () => void;
  /** The user's queue changed: the counts of waiting calls are read again. */
  queueChanged: () => void;
}

export function createServicesPane(options: ServicesPaneOptions): ServicesPane {
  const operated = createOperatedList(options);
  const transfers = createServiceTransfersView({
    ...options,
    onAccepted: (customerId) => companies.refresh(customerId),
  });
  const companies = createCompaniesView({ ...options, onOffered: transfers.refresh });
  let visible = false;
  return {
    element: h(
      "div",
      { class: "services", testid: "services-screen" },
      h("div", { class: "services-column" }, operated.element, transfers.element),
      companies.element,
    ),
    open: () => {
      visible = true;
      operated.refresh();
      transfers.refresh();
      companies.refresh();
    },
    close: () => {
      visible = false;
    },
    queueChanged: () => {
      if (visible) operated.counts();
    },
  };
}
