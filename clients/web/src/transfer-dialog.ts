/**
 * The Transfer dialog of an operator's call — one they answered, or one still waiting in their
 * queue at a service they are online for: send the caller on to another service of the same
 * customer (each marked with whether anybody is online there; where nobody is, the call waits
 * offline and its caller may leave an SMS) or to one of its operators by name, with a note for
 * whoever takes it next. The call keeps its room and history; an operator who answered it leaves it.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { ServicesApi, Transfer } from "../../sdk/src/index.js";
import { operatorError } from "./call-text.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { localpart } from "./identifiers.js";
import { transferTargets, type TransferTargets } from "./transfer-targets.js";

export interface TransferOptions {
  services: ServicesApi;
  /** The signed-in operator (not a target of their own transfer). */
  me: string;
  /** The call as it is now (read when the dialog opens). */
  call: () => CallView;
  /** The transfer is about to be sent: from now on the call leaves this screen. */
  onSending: () => void;
  /** The call moved; `call` is its new view (queued or offline at the target). */
  onTransferred: (call: CallView) => void;
  /** The transfer failed: the call stays here. */
  onFailed: () => void;
  /** A smaller button, for a row of the queue. */
  small?: boolean;
}

/** "Acme Sales · online", "Acme Billing · nobody online". */
export function serviceTargetText(target: TransferTargets["services"][number]): string {
  return `${target.display_name} · ${target.online ? "online" : "nobody online"}`;
}

/** The Transfer button, which opens the dialog. */
export function createTransferButton(options: TransferOptions): HTMLElement {
  const { services } = options;
  const open = h(
    "button",
    { type: "button", class: options.small ? "small" : undefined, testid: "call-transfer" },
    "Transfer…",
  );
  const select = h("select", { name: "service_id", "aria-label": "Service", testid: "transfer-service" });
  const people = h("select", { name: "user_id", "aria-label": "Operator", testid: "transfer-user" });
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "transfer-error" });
  const errors = new ErrorLine(errorText);
  const toService = h("input", {
    type: "radio",
    name: "to",
    value: "service",
    checked: true,
    testid: "transfer-to-service",
  });
  const toUser = h("input", { type: "radio", name: "to", value: "user", testid: "transfer-to-user" });
  const cancel = h("button", { type: "button", testid: "transfer-cancel" }, "Cancel");
  const form = h(
    "form",
    { method: "dialog", class: "transfer-form", testid: "transfer-form" },
    h("h3", {}, "Transfer the call"),
    h("label", { class: "toggle" }, toService, h("span", {}, "To another service")),
    select,
    h("label", { class: "toggle" }, toUser, h("span", {}, "To an operator")),
    people,
    h(
      "label",
      {},
      h("span", {}, "Note for whoever takes it (optional)"),
      h("textarea", { name: "note", rows: "2", maxlength: "1000", testid: "transfer-note" }),
    ),
    errorText,
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit", class: "primary", testid: "transfer-submit" }, "Transfer"),
      cancel,
    ),
  );
  const dialog = h("dialog", { class: "transfer-dialog", testid: "transfer-dialog" }, form);
  const choose = (service: boolean) => {
    toService.checked = service;
    toUser.checked = !service;
  };
  select.addEventListener("focus", () => choose(true));
  people.addEventListener("focus", () => choose(false));
  cancel.addEventListener("click", () => dialog.close());

  const fill = (targets: TransferTargets) => {
    replaceChildren(
      select,
      ...(targets.services.length > 0
        ? targets.services.map((s) => h("option", { value: s.service_id }, serviceTargetText(s)))
        : [h("option", { value: "" }, "No other service of this company")]),
    );
    replaceChildren(
      people,
      ...(targets.operators.length > 0
        ? targets.operators.map((o) =>
            h("option", { value: o.user_id }, o.display_name || localpart(o.user_id)),
          )
        : [h("option", { value: "" }, "No other operator of this company")]),
    );
    select.disabled = targets.services.length === 0;
    people.disabled = targets.operators.length === 0;
    toService.disabled = select.disabled;
    toUser.disabled = people.disabled;
    choose(!select.disabled || people.disabled);
    select.dataset.loaded = "true";
  };
  const loadTargets = () => {
    replaceChildren(select, h("option", { value: "" }, "Loading services…"));
    replaceChildren(people, h("option", { value: "" }, "Loading operators…"));
    delete select.dataset.loaded;
    transferTargets(services, options.call(), options.me).then(fill, (error: unknown) => errors.show(error));
  };

  open.addEventListener("click", () => {
    errors.clear();
    form.reset();
    loadTargets();
    dialog.showModal();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const note = field(form, "note");
    const target: Transfer = toService.checked
      ? { service_id: field(form, "service_id") }
      : { user_id: field(form, "user_id") };
    if (!Object.values(target)[0]) {
      errors.show(new Error(toService.checked ? "Choose a service." : "Choose an operator."));
      return;
    }
    options.onSending();
    const call = options.call();
    void busy(form, errors, () =>
      services.transfer(call.call_id, { ...target, ...(note && { note }) }).catch((e: unknown) => {
        throw operatorError(e, call);
      }),
    ).then((moved) => {
      if (!moved) return options.onFailed();
      dialog.close();
      options.onTransferred(moved);
    });
  });

  return h("div", { class: "call-transfer" }, open, dialog);
}
