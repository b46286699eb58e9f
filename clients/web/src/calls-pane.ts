/**
 * The calls pane: the call in progress (or, when there is none, the call link the page was
 * opened with and the dial box) beside the incoming queue. Guests have no queue: they only call.
 * When an operator transfers a call, its screen closes with a line saying where it went.
 */
import type { MatrixClient } from "matrix-js-sdk";
import type { CallView } from "../../../protocol/callsign/calls.js";
import { NamesApi, type CallsignApi, type ServicesApi } from "../../sdk/src/index.js";
import type { CallTarget } from "./call-links.js";
import { renderCallLinkView } from "./call-link-view.js";
import { createCallScreen, type CallScreen } from "./call-screen.js";
import { partyName } from "./call-text.js";
import { renderDialView } from "./dial-view.js";
import { h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createQueuePanel, type QueuePanel } from "./queue-panel.js";

export interface CallsPaneOptions {
  client: MatrixClient;
  api: CallsignApi;
  errors: ErrorLine;
  /** For operators' transfers; absent for guests. */
  services?: ServicesApi;
  guest: boolean;
  /** The call link the page was opened with, if any. */
  link: CallTarget | null;
  /** The number of waiting calls changed (for the navigation badge). */
  onQueueCount: (count: number) => void;
}

export interface CallsPane {
  element: HTMLElement;
  /** Shows a call (placed, taken, or called back) in place of the dial box. */
  showCall: (call: CallView) => void;
  /** Reads the queue again (after the user switched online or offline for a service). */
  refreshQueue: () => void;
  dispose: () => void;
}

export function createCallsPane(options: CallsPaneOptions): CallsPane {
  const { client, api, errors, guest, link, onQueueCount } = options;
  const main = h("div", { class: "calls-main" });
  let screen: CallScreen | null = null;

  const transferred = (call: CallView) => {
    const note = h(
      "p",
      { class: "notice", role: "status", testid: "call-transferred" },
      `You transferred the call from ${partyName(call.caller)} to ${partyName(call.callee)}.`,
    );
    showIdle(note);
  };
  const showCall = (call: CallView) => {
    if (screen?.callId === call.call_id) return;
    screen?.dispose();
    screen = createCallScreen({
      client,
      api,
      errors,
      call,
      services: options.services,
      onClose: () => showIdle(),
      onTransferred: transferred,
    });
    replaceChildren(main, screen.element);
  };
  const linkView =
    link &&
    renderCallLinkView({
      target: link,
      errors,
      lookup: api,
      asGuest: guest,
      callerApi: async () => api,
      onCall: (call) => showCall(call),
    });
  const dial = renderDialView(api, new NamesApi(api.baseUrl, api.accessToken), errors, showCall);
  function showIdle(notice?: HTMLElement): void {
    screen?.dispose();
    screen = null;
    replaceChildren(main, notice, linkView, dial);
  }
  showIdle();

  const queue: QueuePanel | null = guest
    ? null
    : createQueuePanel({
        client,
        api,
        errors,
        services: options.services,
        onTaken: showCall,
        onCount: onQueueCount,
      });

  return {
    element: h("div", { class: "calls-pane", testid: "calls-pane" }, main, queue?.element),
    showCall,
    refreshQueue: () => queue?.refresh(),
    dispose: () => {
      screen?.dispose();
      queue?.dispose();
    },
  };
}
