/**
 * "I operate": the services the user is an operator of (GET /operating), each with the user's
 * Online switch for it, how many operators are online and how many calls wait, and the
 * service's inbox. Switching online also marks the user present, and invites them to the calls
 * already waiting, which the queue on the Calls pane then shows.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { OperatedServiceView } from "../../../protocol/callsign/services.js";
import type { CallsignApi, ServicesApi } from "../../sdk/src/index.js";
import { planLimitError } from "./billing-text.js";
import { busy, h, keyedList, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createServiceInbox } from "./service-inbox-view.js";
import { operatedCountsText } from "./services-text.js";

export interface OperatedListOptions {
  api: CallsignApi;
  services: ServicesApi;
  errors: ErrorLine;
  /** A call back was placed from a service's inbox. */
  onCall: (call: CallView) => void;
  /** The user switched online or offline for a service (their queue changes). */
  onSwitched: () => void;
}

export interface OperatedList {
  element: HTMLElement;
  /** Reads the services and their inboxes' unread counts again. */
  refresh: () => void;
  /** Reads the services again (online operators, calls waiting). */
  counts: () => void;
}

export function createOperatedList(options: OperatedListOptions): OperatedList {
  const { services, errors } = options;
  const list = h("ul", { class: "service-list", testid: "operated-services" });
  /** Each shown service's inbox refresh, by service ID. */
  const inboxes = new Map<string, () => void>();
  const render = keyedList(
    list,
    (s: OperatedServiceView) => s.service_id,
    (s) => {
      const item = operatedItem(s, options, refresh);
      inboxes.set(s.service_id, item.refreshInbox);
      return item;
    },
    () =>
      h(
        "li",
        { class: "empty", testid: "operated-empty" },
        "You operate no services. When a company adds your e-mail address as an operator, " +
          "its services appear here.",
      ),
  );

  function refresh(): void {
    services.operating().then(
      ({ services: operated }) => {
        for (const id of inboxes.keys()) if (!operated.some((s) => s.service_id === id)) inboxes.delete(id);
        render(operated);
        list.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
  }

  return {
    element: h("section", { class: "card", testid: "operating" }, h("h2", {}, "I operate"), list),
    refresh: () => {
      refresh();
      for (const inbox of inboxes.values()) inbox();
    },
    counts: refresh,
  };
}

interface OperatedItem extends ListItem<OperatedServiceView> {
  refreshInbox: () => void;
}

function operatedItem(
  first: OperatedServiceView,
  options: OperatedListOptions,
  refresh: () => void,
): OperatedItem {
  const { api, services, errors, onCall, onSwitched } = options;
  const serviceId = first.service_id;
  const name = h("strong", { class: "name-title", testid: "operated-name" });
  const handle = h("span", { class: "muted", testid: "operated-handle" });
  const state = h("span", { class: "pill", testid: "operated-state" });
  const counts = h("p", { class: "muted", testid: "operated-counts" });
  const box = h("input", {
    type: "checkbox",
    role: "switch",
    "aria-label": "Online",
    testid: "operated-online",
  });
  box.addEventListener("change", () => {
    const online = box.checked;
    const switchOnline = () =>
      services.setOnline(serviceId, online).catch((e: unknown) => {
        throw planLimitError(
          e,
          "Ask the company to choose a plan with more operators, or wait for one to go offline.",
        );
      });
    void busy(box, errors, switchOnline).then((next) => {
      if (!next) return void (box.checked = !online);
      update(next);
      refresh();
      onSwitched();
    });
  });
  const inbox = createServiceInbox({ serviceId, api, services, errors, onCall });

  const element = h(
    "li",
    { class: "service-item", "data-service-id": serviceId, testid: "operated-service" },
    h(
      "div",
      { class: "operated-head" },
      h("div", { class: "operated-title" }, name, handle),
      h("label", { class: "switch", title: "Take this service's calls" }, box, state),
    ),
    counts,
    h("div", { class: "row" }, inbox.toggle),
    inbox.element,
  );

  const update = (next: OperatedServiceView) => {
    name.textContent = next.display_name;
    handle.textContent = next.handle ? `${next.handle} · ${next.number}` : next.number;
    box.checked = next.online;
    element.dataset.online = String(next.online);
    state.textContent = next.online ? "Online" : "Offline";
    state.className = next.online ? "pill ok" : "pill";
    counts.textContent = operatedCountsText(next.online_operators, next.queued);
  };
  update(first);
  inbox.refresh();
  return { element, update, refreshInbox: inbox.refresh };
}
