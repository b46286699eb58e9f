/**
 * The Services pane (accounts only, not guests): "I operate" — the services the user answers
 * calls for, with their online switch and inbox — and the offers of whole services between
 * owners, beside "My companies", the customers the user runs services for. Calls to the services
 * arrive in the queue on the Calls pane.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { BillingApi, CallsignApi, NamesApi, ServicesApi, WidgetsApi } from "../../sdk/src/index.js";
import { createCompaniesView } from "./companies-view.js";
import { h } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createOperatedList } from "./operated-list.js";
import { createServiceTransfersView } from "./service-transfers-view.js";

export interface ServicesPaneOptions {
  api: CallsignApi;
  services: ServicesApi;
  names: NamesApi;
  billing: BillingApi;
  widgets: WidgetsApi;
  errors: ErrorLine;
  userId: string;
  /** A call back was placed from a service's inbox. */
  onCall: (call: CallView) => void;
  /** The user switched online or offline for a service. */
  onSwitched: () => void;
}

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
