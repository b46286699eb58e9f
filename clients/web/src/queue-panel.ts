/**
 * The callee's incoming queue, first caller first. Each waiting call shows who calls and why;
 * the callee replies in text or declines any of them, and takes the first one into the call room.
 * For an operator it is one merged queue: their own calls and those of every service they are
 * online for, each labelled with its service and the transfers it went through; a service's
 * waiting call can be transferred from here, before anybody takes it. The list is read again
 * whenever sync brings a call room invite or a call state change.
 */
import { ClientEvent, RoomEvent, RoomStateEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { CALL_STATE_EVENT, type CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi, ServicesApi } from "../../sdk/src/index.js";
import { renderHops } from "./call-hops.js";
import { operatorError, partyName, serviceOf } from "./call-text.js";
import { busy, field, h, keyedList, replaceChildren, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createTransferButton } from "./transfer-dialog.js";

export interface QueuePanelOptions {
  client: MatrixClient;
  api: CallsignApi;
  errors: ErrorLine;
  /** For transferring a service's waiting calls; absent for guests, who have no queue. */
  services?: ServicesApi;
  /** The callee took a call: show its call room. */
  onTaken: (call: CallView) => void;
  /** The number of waiting calls changed. */
  onCount: (count: number) => void;
}

export interface QueuePanel {
  element: HTMLElement;
  refresh: () => void;
  dispose: () => void;
}

export function createQueuePanel(options: QueuePanelOptions): QueuePanel {
  const { client, api, errors, onCount } = options;
  const list = h("ol", { class: "queue", testid: "queue" });

  const render = keyedList<CallView>(
    list,
    (call) => call.call_id,
    (call) => queueEntry(call, { ...options, refresh }),
    () => h("li", { class: "empty", testid: "queue-empty" }, "No one is waiting."),
  );

  // One request at a time; changes that arrive meanwhile cause one more read afterwards.
  let inFlight = false;
  let again = false;
  let disposed = false;
  function refresh(): void {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    api
      .queue()
      .then(({ calls }) => {
        if (disposed) return;
        render(calls);
        onCount(calls.length);
      })
      .catch((error: unknown) => errors.show(error))
      .finally(() => {
        inFlight = false;
        if (again && !disposed) {
          again = false;
          refresh();
        }
      });
  }

  const onState = (event: MatrixEvent) => {
    if (event.getType() === CALL_STATE_EVENT) refresh();
  };
  client.on(RoomStateEvent.Events, onState);
  client.on(ClientEvent.Room, refresh);
  client.on(RoomEvent.MyMembership, refresh);
  refresh();

  return {
    element: h(
      "section",
      { class: "card queue-panel", testid: "queue-panel" },
      h("h2", {}, "Incoming calls"),
      list,
    ),
    refresh,
    dispose: () => {
      disposed = true;
      client.off(RoomStateEvent.Events, onState);
      client.off(ClientEvent.Room, refresh);
      client.off(RoomEvent.MyMembership, refresh);
    },
  };
}

function queueEntry(
  initial: CallView,
  options: QueuePanelOptions & { refresh: () => void },
): ListItem<CallView> {
  const { api, errors, refresh, onTaken } = options;
  let call = initial;
  // An operator is told why a take failed: another operator was first, or they are offline.
  const act = (control: HTMLElement, action: () => Promise<CallView>) =>
    busy(control, errors, () => action().catch((e: unknown) => Promise.reject(operatorError(e, call))));
  const position = h("span", { class: "queue-position", testid: "queue-position" });
  const service = h("span", { class: "pill queue-service", testid: "queue-service" });
  const hops = h("div", { class: "queue-hops" });
  const take = h("button", { type: "button", class: "primary small", testid: "queue-take" }, "Take");
  const replyButton = h("button", { type: "button", class: "small", testid: "queue-reply" }, "Reply");
  const decline = h("button", { type: "button", class: "small", testid: "queue-decline" }, "Decline");
  const replyForm = h(
    "form",
    { class: "queue-reply-form", hidden: true, testid: "queue-reply-form" },
    h("input", {
      name: "text",
      required: true,
      maxlength: "2000",
      placeholder: "Your reply",
      "aria-label": "Reply",
      testid: "queue-reply-text",
    }),
    h("button", { type: "submit", class: "primary small", testid: "queue-reply-send" }, "Send"),
  );

  take.addEventListener("click", () => {
    void act(take, () => api.take(call.call_id)).then((taken) => {
      refresh();
      if (taken) onTaken(taken);
    });
  });
  decline.addEventListener("click", () => {
    void act(decline, () => api.decline(call.call_id)).then(refresh);
  });
  replyButton.addEventListener("click", () => {
    replyForm.hidden = !replyForm.hidden;
    if (!replyForm.hidden) replyForm.querySelector("input")?.focus();
  });
  replyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field(replyForm, "text");
    if (text) void act(replyForm, () => api.reply(call.call_id, text)).then(refresh);
  });

  // Any operator online for the service a call waits at may send it on (spec/services.md "Transfer").
  const transfer =
    options.services &&
    createTransferButton({
      services: options.services,
      me: options.client.getSafeUserId(),
      call: () => call,
      small: true,
      onSending: () => undefined,
      onFailed: () => undefined,
      onTransferred: refresh,
    });

  const element = h(
    "li",
    { class: "queue-entry", "data-call-id": initial.call_id, testid: "queue-entry" },
    h(
      "div",
      { class: "queue-head" },
      position,
      h(
        "span",
        { class: "queue-caller", testid: "queue-caller", title: initial.caller.user_id },
        partyName(initial.caller),
      ),
      service,
    ),
    initial.topic
      ? h("p", { class: "queue-topic", testid: "queue-topic" }, initial.topic)
      : h("p", { class: "queue-topic muted", testid: "queue-topic" }, "No topic"),
    hops,
    h("div", { class: "row" }, replyButton, decline, transfer, take),
    replyForm,
  );
  return {
    element,
    update: (next, index) => {
      call = next;
      const place = next.position ?? index + 1;
      position.textContent = `${place}`;
      // A transfer may move the call between two queues this operator sees.
      const to = serviceOf(next);
      service.hidden = to === null;
      service.textContent = to ? `to ${partyName(to)}` : "";
      service.title = to?.user_id ?? "";
      replaceChildren(hops, renderHops(next.hops));
      // The server takes only the head of the queue; say so before it has to.
      if (transfer) transfer.hidden = next.service_id === null;
      take.disabled = place !== 1;
      take.title = place === 1 ? "" : "Only the first call in the queue can be taken";
    },
  };
}
