/**
 * The inbox: SMS left for the user and calls they missed, newest first as the server sends them.
 * Opening it marks what it shows as read (still highlighted until it is closed); the unread
 * badge follows the `io.callsign.inbox` account data, which the server updates on every change.
 */
import { ClientEvent, type AccountDataEvents, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { INBOX_ACCOUNT_DATA, type CallView, type InboxView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { h, keyedList } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { missedItem, smsItem } from "./inbox-items.js";

export interface InboxPaneOptions {
  client: MatrixClient;
  api: CallsignApi;
  errors: ErrorLine;
  /** A call back was placed: show its call screen. */
  onCall: (call: CallView) => void;
}

export interface InboxPane {
  element: HTMLElement;
  /** The unread count, for the navigation. */
  badge: HTMLElement;
  open: () => void;
  close: () => void;
  dispose: () => void;
}

interface UnreadCounts {
  unread_sms?: number;
  unread_missed?: number;
}

export function createInboxPane(options: InboxPaneOptions): InboxPane {
  const { client, api, errors, onCall } = options;
  const badge = h("span", { class: "badge", hidden: true, testid: "inbox-badge" });
  const smsList = h("ul", { class: "inbox-list", testid: "inbox-sms-list" });
  const missedList = h("ul", { class: "inbox-list", testid: "inbox-missed-list" });
  /** What was unread when the inbox was opened: it stays highlighted while open. */
  const fresh = new Set<string>();
  let isOpen = false;

  const renderSms = keyedList(
    smsList,
    (sms: InboxView["sms"][number]) => sms.sms_id,
    (sms) => smsItem(sms, { api, errors, onCall, isNew: (id) => fresh.has(id) }),
    () => h("li", { class: "empty" }, "No messages."),
  );
  const renderMissed = keyedList(
    missedList,
    (call: InboxView["missed"][number]) => call.call_id,
    (call) => missedItem(call, { api, errors, onCall, isNew: (id) => fresh.has(id) }),
    () => h("li", { class: "empty" }, "No missed calls."),
  );

  const setBadge = (count: number) => {
    badge.textContent = String(count);
    badge.hidden = count === 0;
  };

  const load = async () => {
    const inbox = await api.inbox();
    if (!isOpen) return setBadge(inbox.unread.sms + inbox.unread.missed);
    const sms = inbox.sms.filter((s) => !s.read).map((s) => s.sms_id);
    const calls = inbox.missed.filter((c) => !c.read).map((c) => c.call_id);
    for (const id of [...sms, ...calls]) fresh.add(id);
    renderSms(inbox.sms);
    renderMissed(inbox.missed);
    if (sms.length + calls.length > 0) {
      await api.markRead({ ...(sms.length > 0 && { sms }), ...(calls.length > 0 && { calls }) });
      setBadge(0);
    }
  };
  const reload = () => void load().catch((error: unknown) => errors.show(error));

  const fromAccountData = (event: MatrixEvent | undefined) => {
    const counts = event?.getContent<UnreadCounts>();
    if (!counts) return false;
    setBadge((counts.unread_sms ?? 0) + (counts.unread_missed ?? 0));
    return true;
  };
  const onAccountData = (event: MatrixEvent) => {
    if (event.getType() !== INBOX_ACCOUNT_DATA) return;
    fromAccountData(event);
    if (isOpen) reload();
  };
  client.on(ClientEvent.AccountData, onAccountData);
  // The account data type is Callsign's own, so matrix-js-sdk's typed map does not list it.
  if (!fromAccountData(client.getAccountData(INBOX_ACCOUNT_DATA as keyof AccountDataEvents))) reload();

  return {
    element: h(
      "section",
      { class: "inbox", testid: "inbox" },
      h("section", { class: "card" }, h("h2", {}, "Messages"), smsList),
      h("section", { class: "card" }, h("h2", {}, "Missed calls"), missedList),
    ),
    badge,
    open: () => {
      isOpen = true;
      reload();
    },
    close: () => {
      isOpen = false;
      fresh.clear();
    },
    dispose: () => client.off(ClientEvent.AccountData, onAccountData),
  };
}
