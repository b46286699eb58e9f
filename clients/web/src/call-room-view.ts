/**
 * The room of an answered call, for both sides: the chat (the videos sit beside it,
 * call-media-view.ts) and the hang-up button, beside any other control of the call (an
 * operator's Transfer). After the call ends the chat stays readable and the composer goes away.
 */
import { ClientEvent, RoomEvent, RoomStateEvent, type MatrixClient } from "matrix-js-sdk";
import { CallState, type CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { busy, h } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createRoomView } from "./room-view.js";

export interface CallRoomView {
  element: HTMLElement;
  /** Shows the call's latest state (hang-up only while answered). */
  update: (call: CallView) => void;
  dispose: () => void;
}

const REDRAW_ON = [
  ClientEvent.Room,
  RoomEvent.Timeline,
  RoomEvent.LocalEchoUpdated,
  RoomEvent.MyMembership,
  RoomStateEvent.Members,
] as const;

export function createCallRoomView(
  client: MatrixClient,
  api: CallsignApi,
  errors: ErrorLine,
  initial: CallView,
  /** Shown beside the hang-up button. */
  controls?: HTMLElement,
): CallRoomView {
  let call = initial;
  const roomView = createRoomView(client, errors);
  const joining = h("p", { class: "muted", testid: "call-room-joining" }, "Joining the call room…");
  const hangUp = h("button", { type: "button", class: "danger", testid: "call-hangup" }, "Hang up");
  hangUp.addEventListener("click", () => {
    void busy(hangUp, errors, () => api.end(call.call_id)).then((ended) => ended && update(ended));
  });

  let scheduled = false;
  const redraw = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const room = client.getRoom(call.room_id);
      joining.hidden = room !== null;
      roomView.element.hidden = room === null;
      if (room) roomView.render(room, { readOnly: call.state !== CallState.Answered });
    });
  };
  const update = (next: CallView) => {
    call = next;
    hangUp.hidden = call.state !== CallState.Answered;
    redraw();
  };

  for (const event of REDRAW_ON) client.on(event, redraw);
  update(initial);

  return {
    element: h(
      "div",
      { class: "call-room", testid: "call-room" },
      h("div", { class: "row" }, hangUp, controls),
      joining,
      roomView.element,
    ),
    update,
    dispose: () => {
      for (const event of REDRAW_ON) client.off(event, redraw);
    },
  };
}
