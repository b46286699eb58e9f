/**
 * The inbox of one service an operator works for: the SMS its callers left (marked when they ask
 * to be called back) and its missed calls, drawn by the same items as the user's own inbox. A
 * reply goes out as the service; a call back is placed from the operator. Unlike the user's own
 * inbox no account data tells of news here, so the unread count is read when the Services pane
 * is shown, and opening the inbox marks what it shows as read.
 */
import type { CallView, InboxView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi, ServicesApi } from "../../sdk/src/index.js";
import { h, keyedList } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { missedItem, smsItem } from "./inbox-items.js";

export interface ServiceInboxOptions {
  serviceId: string;
  api: CallsignApi;
  services: ServicesApi;
  errors: ErrorLine;
  /** A call back was placed: show its call screen. */
  onCall: (call: CallView) => void;
}

export interface ServiceInbox {
  /** The toggle with the unread count, and the inbox it opens. */
  toggle: HTMLButtonElement;
  element: HTMLElement;
  /** Reads the unread count (and the items, when open). */
  refresh: () => void;
}

export function createServiceInbox(options: ServiceInboxOptions): ServiceInbox {
  const { serviceId, api, services, errors, onCall } = options;
  const smsList = h("ul", { class: "inbox-list", testid: "service-inbox-sms" });
  const missedList = h("ul", { class: "inbox-list", testid: "service-inbox-missed" });
  const count = h("span", { class: "badge", hidden: true, testid: "service-inbox-badge" });
  const toggle = h(
    "button",
    { type: "button", class: "small", "aria-expanded": "false", testid: "service-inbox-toggle" },
    "Inbox",
    count,
  );
  const element = h(
    "div",
    { class: "service-inbox", hidden: true, testid: "service-inbox" },
    h("h4", {}, "Messages"),
    smsList,
    h("h4", {}, "Missed calls"),
    missedList,
  );
  /** What was unread when the inbox was opened: it stays highlighted while open. */
  const fresh = new Set<string>();
  const context = { api, errors, onCall, isNew: (id: string) => fresh.has(id) };
  const renderSms = keyedList(
    smsList,
    (sms: InboxView["sms"][number]) => sms.sms_id,
    (sms) => smsItem(sms, context),
    () => h("li", { class: "empty" }, "No messages."),
  );
  const renderMissed = keyedList(
    missedList,
    (call: InboxView["missed"][number]) => call.call_id,
    (call) => missedItem(call, context),
    () => h("li", { class: "empty" }, "No missed calls."),
  );
  const setCount = (n: number) => {
    count.textContent = String(n);
    count.hidden = n === 0;
  };

  const load = async () => {
    const inbox = await services.inbox(serviceId);
    if (element.hidden) return setCount(inbox.unread.sms + inbox.unread.missed);
    const sms = inbox.sms.filter((s) => !s.read).map((s) => s.sms_id);
    const calls = inbox.missed.filter((c) => !c.read).map((c) => c.call_id);
    for (const id of [...sms, ...calls]) fresh.add(id);
    renderSms(inbox.sms);
    renderMissed(inbox.missed);
    element.dataset.loaded = "true";
    if (sms.length + calls.length > 0) {
      await services.markRead(serviceId, {
        ...(sms.length > 0 && { sms }),
        ...(calls.length > 0 && { calls }),
      });
    }
    setCount(0);
  };
  const refresh = () => void load().catch((error: unknown) => errors.show(error));

  toggle.addEventListener("click", () => {
    element.hidden = !element.hidden;
    toggle.setAttribute("aria-expanded", String(!element.hidden));
    if (element.hidden) fresh.clear();
    else refresh();
  });
  return { toggle, element, refresh };
}
