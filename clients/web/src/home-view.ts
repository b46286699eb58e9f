/**
 * The signed-in screen: the account bar in the header; a sidebar with Calls, Inbox, Services, Names
 * and Settings above the chat list; and the selected pane. Chats re-render from matrix-js-sdk's in-memory
 * state whenever a sync changes it; the call panes follow their own events.
 */
import { ClientEvent, RoomEvent, RoomStateEvent, SyncState, type MatrixClient } from "matrix-js-sdk";
import type { CallView } from "../../../protocol/callsign/calls.js";
import { BillingApi, CallsignApi, NamesApi, ServicesApi, WidgetsApi } from "../../sdk/src/index.js";
import { renderAccountView } from "./account-view.js";
import type { CallTarget } from "./call-links.js";
import { findActiveCall } from "./call-watch.js";
import { createCallsPane } from "./calls-pane.js";
import { h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createInboxPane } from "./inbox-view.js";
import { createNamesPane } from "./names-view.js";
import { createRoomList } from "./room-list.js";
import { createRoomView } from "./room-view.js";
import { createServicesPane } from "./services-view.js";
import type { Session } from "./session.js";
import { createSettingsPane } from "./settings-view.js";

export interface HomeViewOptions {
  baseUrl: string;
  client: MatrixClient;
  session: Session;
  errors: ErrorLine;
  /** Where the account bar goes (the page header). */
  header: HTMLElement;
  /** The call link the page was opened with. */
  link: CallTarget | null;
  /** A call placed before the home screen existed (from a call link, signed out). */
  call?: CallView;
  onSignOut: () => void;
}

export interface HomeView {
  element: HTMLElement;
  dispose: () => void;
}

/** Client events after which the chat list and the open chat are redrawn. */
const REDRAW_ON = [
  ClientEvent.Room,
  ClientEvent.DeleteRoom,
  RoomEvent.Timeline,
  RoomEvent.LocalEchoUpdated,
  RoomEvent.MyMembership,
  RoomEvent.Name,
  RoomStateEvent.Members,
] as const;

type Pane = "calls" | "inbox" | "services" | "names" | "settings" | "room";

export function renderHomeView(options: HomeViewOptions): HomeView {
  const { baseUrl, client, session, errors, header, onSignOut } = options;
  const api = new CallsignApi(baseUrl, session.accessToken);
  let pane: Pane = "calls";
  let selectedRoomId: string | null = null;

  const queueBadge = h("span", { class: "badge", hidden: true, testid: "queue-badge" });
  const servicesApi = session.guest ? undefined : new ServicesApi(baseUrl, session.accessToken);
  const calls = createCallsPane({
    client,
    api,
    errors,
    services: servicesApi,
    guest: session.guest,
    link: options.link,
    onQueueCount: (count) => {
      queueBadge.textContent = String(count);
      queueBadge.hidden = count === 0;
      services?.queueChanged();
    },
  });
  const showCall = (call: CallView) => {
    calls.showCall(call);
    select("calls");
  };
  const inbox = session.guest ? null : createInboxPane({ client, api, errors, onCall: showCall });
  const namesApi = new NamesApi(baseUrl, session.accessToken);
  const services = servicesApi
    ? createServicesPane({
        api,
        services: servicesApi,
        names: namesApi,
        billing: new BillingApi(baseUrl, session.accessToken),
        widgets: new WidgetsApi(baseUrl, session.accessToken),
        errors,
        userId: session.userId,
        onCall: showCall,
        onSwitched: () => calls.refreshQueue(),
      })
    : null;
  const names = session.guest ? null : createNamesPane(namesApi, errors);
  const settings = session.guest ? null : createSettingsPane(api, errors, baseUrl);
  const roomView = createRoomView(client, errors);
  const roomList = createRoomList({
    client,
    errors,
    onSelect: (roomId) => {
      selectedRoomId = roomId;
      select("room");
    },
  });

  const navButton = (target: Pane, label: string, badge?: HTMLElement) => {
    const button = h("button", { type: "button", class: "nav-item", testid: `nav-${target}` }, label, badge);
    button.addEventListener("click", () => select(target));
    return button;
  };
  const nav = h(
    "nav",
    { class: "nav", testid: "nav" },
    navButton("calls", "Calls", queueBadge),
    inbox && navButton("inbox", "Inbox", inbox.badge),
    services && navButton("services", "Services"),
    names && navButton("names", "Names"),
    settings && navButton("settings", "Settings"),
  );
  roomList.element.prepend(nav);

  const panes: Record<Pane, HTMLElement | undefined> = {
    calls: calls.element,
    inbox: inbox?.element,
    services: services?.element,
    names: names?.element,
    settings: settings?.element,
    room: roomView.element,
  };
  const main = h("div", { class: "main-pane" }, ...Object.values(panes));

  function select(next: Pane): void {
    if (next !== "room") selectedRoomId = null;
    if (pane === "inbox" && next !== "inbox") inbox?.close();
    if (pane === "services" && next !== "services") services?.close();
    pane = next;
    for (const [name, element] of Object.entries(panes)) if (element) element.hidden = name !== pane;
    for (const button of nav.querySelectorAll<HTMLElement>(".nav-item")) {
      const current = button.dataset.testid === `nav-${pane}`;
      button.setAttribute("aria-current", String(current));
    }
    if (pane === "inbox") inbox?.open();
    if (pane === "services") services?.open();
    if (pane === "names") names?.open();
    if (pane === "settings") settings?.open();
    redraw();
  }

  // Several events arrive per sync; draw once per animation frame.
  let scheduled = false;
  const redraw = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      roomList.render(selectedRoomId);
      roomView.render(selectedRoomId ? client.getRoom(selectedRoomId) : null);
    });
  };

  const status = h("span", { class: "sync-status", testid: "sync-status" });
  const onSync = (state: SyncState) => {
    const offline = state === SyncState.Error || state === SyncState.Reconnecting;
    status.textContent = offline ? "Reconnecting…" : "";
    redraw();
  };

  client.on(ClientEvent.Sync, onSync);
  for (const event of REDRAW_ON) client.on(event, redraw);

  replaceChildren(
    header,
    status,
    renderAccountView({ client, userId: session.userId, guest: session.guest, errors, onSignOut }),
  );
  select("calls");
  const active = options.call ?? findActiveCall(client);
  if (active) showCall(active);

  return {
    element: h("div", { class: "home", testid: "home-screen" }, roomList.element, main),
    dispose: () => {
      client.off(ClientEvent.Sync, onSync);
      for (const event of REDRAW_ON) client.off(event, redraw);
      calls.dispose();
      inbox?.dispose();
      names?.dispose();
      replaceChildren(header);
    },
  };
}
