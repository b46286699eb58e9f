/**
 * One call on screen, from placing it to its end. The caller waits with their live queue
 * position (or, when the callee is not online, leaves an SMS or gives up); either side talks in
 * the call room once the call is taken; a finished call says how it ended. An operator who
 * answered for a service may transfer the call; its transfers (hops) show on both sides, and a
 * transferred caller waits again at the new queue. From the answer on, both sides see and hear
 * each other beside the chat (call-media-view.ts); the media ends with the call.
 */
import type { MatrixClient } from "matrix-js-sdk";
import { CallState, PbxState, isFinal, type CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi, ServicesApi } from "../../sdk/src/index.js";
import { renderHops } from "./call-hops.js";
import { createCallMediaView, type CallMediaView } from "./call-media-view.js";
import { createCallRoomView, type CallRoomView } from "./call-room-view.js";
import { finalMessage, otherParty, partyName, roleIn, serviceOf, stateRank, type Role } from "./call-text.js";
import { watchCall } from "./call-watch.js";
import { busy, field, h, replaceChildren, type Child } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createTransferButton } from "./transfer-dialog.js";

export interface CallScreenOptions {
  client: MatrixClient;
  api: CallsignApi;
  errors: ErrorLine;
  call: CallView;
  /** For transfers; absent for guests, who operate nothing. */
  services?: ServicesApi;
  /** The user closes a finished call's screen. */
  onClose: () => void;
  /** The operator transferred the call away: it leaves this screen. */
  onTransferred: (call: CallView) => void;
}

export interface CallScreen {
  element: HTMLElement;
  callId: string;
  dispose: () => void;
}

export function createCallScreen(options: CallScreenOptions): CallScreen {
  const { client, api, errors, onClose } = options;
  const me = client.getSafeUserId();
  const role = roleIn(options.call, me);
  let call = options.call;
  let shown = "";
  let room: CallRoomView | null = null;
  /** From the answer to the call's end: it outlives a transfer, whose caller keeps publishing. */
  let media: CallMediaView | null = null;
  /** A transfer is on its way: what sync says of the call no longer concerns this screen. */
  let handingOver = false;

  const status = h("div", { class: "call-status", testid: "call-status" });
  const transfer =
    options.services &&
    createTransferButton({
      services: options.services,
      me,
      call: () => call,
      onSending: () => (handingOver = true),
      onFailed: () => (handingOver = false),
      onTransferred: (moved) => options.onTransferred(moved),
    });
  const stage = h("div", { class: "call-stage" });
  const element = h(
    "section",
    { class: "card call-screen", "data-call-id": call.call_id, testid: "call-screen" },
    status,
    stage,
  );

  // Sync and the answers to this screen's own requests both bring views; one that would take
  // the call back (an event that arrives after the request that ended the call) is dropped,
  // unless the call was transferred meanwhile: then it waits again at its new queue.
  const apply = (next: CallView) => {
    if (next.call_id !== call.call_id || handingOver) return;
    const moved = next.hops.length > call.hops.length;
    if (!moved && stateRank(next.state) < stateRank(call.state)) return;
    call = next;
    render();
  };
  const act = (button: HTMLElement, action: () => Promise<CallView>) => {
    void busy(button, errors, action).then((next) => next && apply(next));
  };

  const render = () => {
    element.dataset.state = call.state;
    const key = [call.state, call.position, call.reply, call.reason, call.hops.length].join("|");
    if (key !== shown) {
      shown = key;
      replaceChildren(status, ...statusLines(call, role, act, api, onClose));
    }
    if (transfer) transfer.hidden = !canTransfer(call, me);
    if (room && !isFinal(call.state) && call.state !== CallState.Answered) {
      // Transferred: the caller waits again; a new room view comes when the call is taken.
      room.dispose();
      room.element.remove();
      room = null;
    }
    if (call.state === CallState.Answered || (room && call.state === CallState.Ended)) {
      if (!room) {
        room = createCallRoomView(client, api, errors, call, transfer);
        stage.append(room.element);
      }
      room.update(call);
    }
    // A call to a company's PBX: the caller's sound rings it before anyone answers.
    const ringsPbx = call.pbx === PbxState.Waiting && call.caller.user_id === me;
    if ((call.state === CallState.Answered || ringsPbx) && !media) {
      media = createCallMediaView(client, api, call);
      stage.prepend(media.element);
    }
    media?.update(call);
    if (media && isFinal(call.state)) closeMedia();
  };
  const closeMedia = () => {
    media?.close();
    media?.element.remove();
    media = null;
  };

  const stop = watchCall(client, api, call, apply, (error) => {
    // Once the call is handed over, this operator may no longer read it.
    if (!handingOver) errors.show(error);
  });
  render();

  return {
    element,
    callId: call.call_id,
    dispose: () => {
      stop();
      room?.dispose();
      closeMedia();
    },
  };
}

type Act = (button: HTMLElement, action: () => Promise<CallView>) => void;

/** The operator who answered for a service, or the one it was handed to personally. */
function canTransfer(call: CallView, me: string): boolean {
  if (call.state !== CallState.Answered) return false;
  if (call.callee.is_service) return call.operator?.user_id === me;
  return call.callee.user_id === me && call.hops.length > 0;
}

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
  const hops = renderHops(call.hops);
  const service = serviceOf(call);

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
      hops,
      h("p", { class: "call-position", testid: "call-position" }, position),
      role === "caller" && cancel,
    ];
  }

  if (call.state === CallState.Offline) return [...offlineLines(call, other, topic, act, api), hops];

  if (call.state === CallState.Answered) {
    const title = role === "callee" && service ? `${other}, for ${partyName(service)}` : other;
    return [h("h2", { testid: "call-title" }, `In a call with ${title}`), topic, hops];
  }

  const close = h("button", { type: "button", testid: "call-close" }, "Close");
  close.addEventListener("click", onClose);
  return [
    h("h2", { testid: "call-title" }, `Call with ${other}`),
    topic,
    hops,
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

/**
 * The callee is not online (or is a service outside its hours): leave an SMS — the topic goes
 * with it, and a registered caller may ask to be called back — or leave without one.
 */
function offlineLines(
  call: CallView,
  other: string,
  topic: HTMLElement,
  act: Act,
  api: CallsignApi,
): Child[] {
  // A guest has no number to be called back on: the server refuses a guest's request.
  const callBack =
    !call.caller.is_guest &&
    h(
      "label",
      { class: "toggle" },
      h("input", { type: "checkbox", name: "call_back", value: "yes", testid: "sms-call-back" }),
      h("span", {}, "Ask them to call me back"),
    );
  const form = h(
    "form",
    { class: "sms-form", testid: "sms-form" },
    h(
      "label",
      {},
      h("span", {}, "Your message"),
      h("textarea", { name: "text", required: true, rows: "3", maxlength: "2000", testid: "sms-text" }),
    ),
    callBack,
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
    const back = field(form, "call_back") === "yes";
    if (text) act(form, () => api.leaveSms(call.call_id, text, back));
  });
  const skip = form.querySelector<HTMLButtonElement>('[data-testid="sms-skip"]')!;
  skip.addEventListener("click", () => act(form, () => api.cancel(call.call_id)));
  const offline = h("p", { class: "call-offline", testid: "call-offline" }, `${other} is not online.`);
  if (call.callee.is_service && call.hops.length === 0) {
    // A service outside its hours is closed rather than without operators: say which.
    api.handle(call.target).then(
      (view) => {
        if (!view.open) offline.textContent = `${other} is closed now.`;
      },
      () => undefined,
    );
  }
  return [
    h("h2", { testid: "call-title" }, `Calling ${other}`),
    offline,
    h("p", { class: "muted" }, "Leave an SMS: they will see it with your topic when they are back."),
    topic,
    form,
  ];
}
