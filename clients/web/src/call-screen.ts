/**
 * One call on screen, from placing it to its end. The caller waits with their live queue
 * position (or, when the callee is not online, leaves an SMS or gives up); either side talks in
 * the call room once the call is taken; a finished call says how it ended.
 */
import type { MatrixClient } from "matrix-js-sdk";
import { CallState, isFinal, type CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { createCallRoomView, type CallRoomView } from "./call-room-view.js";
import { finalMessage, otherParty, partyName, roleIn, stateRank, type Role } from "./call-text.js";
import { watchCall } from "./call-watch.js";
import { busy, field, h, replaceChildren, type Child } from "./dom.js";
import type { ErrorLine } from "./errors.js";

export interface CallScreenOptions {
  client: MatrixClient;
  api: CallsignApi;
  errors: ErrorLine;
  call: CallView;
  /** The user closes a finished call's screen. */
  onClose: () => void;
}

export interface CallScreen {
  element: HTMLElement;
  callId: string;
  dispose: () => void;
}

export function createCallScreen(options: CallScreenOptions): CallScreen {
  const { client, api, errors, onClose } = options;
  const role = roleIn(options.call, client.getSafeUserId());
  let call = options.call;
  let shown = "";
  let room: CallRoomView | null = null;

  const status = h("div", { class: "call-status", testid: "call-status" });
  const element = h("section", { class: "card call-screen", testid: "call-screen" }, status);

  // Sync and the answers to this screen's own requests both bring views; one that would take
  // the call back (an event that arrives after the request that ended the call) is dropped.
  const apply = (next: CallView) => {
    if (next.call_id !== call.call_id || stateRank(next.state) < stateRank(call.state)) return;
    call = next;
    render();
  };
  const act = (button: HTMLElement, action: () => Promise<CallView>) => {
    void busy(button, errors, action).then((next) => next && apply(next));
  };

  const render = () => {
    element.dataset.state = call.state;
    const key = [call.state, call.position, call.reply, call.reason].join("|");
    if (key !== shown) {
      shown = key;
      replaceChildren(status, ...statusLines(call, role, act, api, onClose));
    }
    if (call.state === CallState.Answered || (room && call.state === CallState.Ended)) {
      if (!room) {
        room = createCallRoomView(client, api, errors, call);
        element.append(room.element);
      }
      room.update(call);
    }
  };

  const stop = watchCall(client, api, call, apply, (error) => errors.show(error));
  render();

  return {
    element,
    callId: call.call_id,
    dispose: () => {
      stop();
      room?.dispose();
    },
  };
}

type Act = (button: HTMLElement, action: () => Promise<CallView>) => void;

function statusLines(call: CallView, role: Role, act: Act, api: CallsignApi, onClose: () => void): Child[] {
  const other = partyName(otherParty(call, role));
  const topic = call.topic
    ? h(
        "p",
        { class: "call-topic", testid: "call-topic" },
        h("span", { class: "muted" }, "Topic: "),
        call.topic,
      )
    : h("p", { class: "call-topic muted", testid: "call-topic" }, "No topic");

  if (call.state === CallState.Queued) {
    const cancel = h("button", { type: "button", testid: "call-cancel" }, "Cancel call");
    cancel.addEventListener("click", () => act(cancel, () => api.cancel(call.call_id)));
    const position =
      role === "caller" && call.position !== null
        ? `You are number ${call.position} in the queue`
        : "Waiting in the queue";
    return [
      h("h2", { testid: "call-title" }, role === "caller" ? `Calling ${other}…` : `Call from ${other}`),
      topic,
      h("p", { class: "call-position", testid: "call-position" }, position),
      role === "caller" && cancel,
    ];
  }

  if (call.state === CallState.Offline) return offlineLines(call, other, topic, act, api);

  if (call.state === CallState.Answered) {
    return [h("h2", { testid: "call-title" }, `In a call with ${other}`), topic];
  }

  const close = h("button", { type: "button", testid: "call-close" }, "Close");
  close.addEventListener("click", onClose);
  return [
    h("h2", { testid: "call-title" }, `Call with ${other}`),
    topic,
    h("p", { class: "call-final", testid: "call-final" }, finalMessage(call, role)),
    call.state === CallState.Replied &&
      call.reply !== null &&
      h("blockquote", { class: "call-reply", testid: "call-reply" }, call.reply),
    call.state === CallState.Declined &&
      !!call.reason &&
      h("blockquote", { class: "call-reason", testid: "call-reason" }, call.reason),
    isFinal(call.state) && close,
  ];
}

/** The callee is not online: leave an SMS (the topic goes with it) or leave without one. */
function offlineLines(
  call: CallView,
  other: string,
  topic: HTMLElement,
  act: Act,
  api: CallsignApi,
): Child[] {
  const form = h(
    "form",
    { class: "sms-form", testid: "sms-form" },
    h(
      "label",
      {},
      h("span", {}, "Your message"),
      h("textarea", { name: "text", required: true, rows: "3", maxlength: "2000", testid: "sms-text" }),
    ),
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit", class: "primary", testid: "sms-send" }, "Leave SMS"),
      h("button", { type: "button", testid: "sms-skip" }, "Don't leave a message"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field(form, "text");
    if (text) act(form, () => api.leaveSms(call.call_id, text));
  });
  const skip = form.querySelector<HTMLButtonElement>('[data-testid="sms-skip"]')!;
  skip.addEventListener("click", () => act(form, () => api.cancel(call.call_id)));
  return [
    h("h2", { testid: "call-title" }, `Calling ${other}`),
    h("p", { class: "call-offline", testid: "call-offline" }, `${other} is not online.`),
    h("p", { class: "muted" }, "Leave an SMS: they will see it with your topic when they are back."),
    topic,
    form,
  ];
}
