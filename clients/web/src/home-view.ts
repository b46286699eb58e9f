/**
 * The signed-in screen: the account bar in the header, the room list, and the selected room.
 * Everything re-renders from matrix-js-sdk's in-memory state whenever a sync changes it.
 */
import { ClientEvent, RoomEvent, RoomStateEvent, SyncState, type MatrixClient } from "matrix-js-sdk";
import { renderAccountView } from "./account-view.js";
import { h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createRoomList } from "./room-list.js";
import { createRoomView } from "./room-view.js";
import type { Session } from "./session.js";

export interface HomeViewOptions {
  client: MatrixClient;
  session: Session;
  errors: ErrorLine;
  /** Where the account bar goes (the page header). */
  header: HTMLElement;
  onSignOut: () => void;
}

export interface HomeView {
  element: HTMLElement;
  dispose: () => void;
}

/** Client events after which the screen is redrawn. */
const REDRAW_ON = [
  ClientEvent.Room,
  ClientEvent.DeleteRoom,
  RoomEvent.Timeline,
  RoomEvent.LocalEchoUpdated,
  RoomEvent.MyMembership,
  RoomEvent.Name,
  RoomStateEvent.Members,
] as const;

export function renderHomeView(options: HomeViewOptions): HomeView {
  const { client, session, errors, header, onSignOut } = options;
  let selectedRoomId: string | null = null;

  const roomView = createRoomView(client, errors);
  const roomList = createRoomList({
    client,
    errors,
    onSelect: (roomId) => {
      selectedRoomId = roomId;
      redraw();
    },
  });

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
  redraw();

  return {
    element: h("div", { class: "home", testid: "home-screen" }, roomList.element, roomView.element),
    dispose: () => {
      client.off(ClientEvent.Sync, onSync);
      for (const event of REDRAW_ON) client.off(event, redraw);
      replaceChildren(header);
    },
  };
}
