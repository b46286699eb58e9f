/**
 * The Transfer dialog of an operator's answered call: send the caller on to another service of
 * the same customer, or to one of its operators by user ID, with a note for whoever takes it
 * next. The call keeps its room and history; the operator leaves it once it has moved.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { ServicesApi, Transfer } from "../../sdk/src/index.js";
import { operatorError } from "./call-text.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { transferTargets } from "./transfer-targets.js";

export interface TransferOptions {
  services: ServicesApi;
  /** The call as it is now (read when the dialog opens). */
  call: () => CallView;
  /** The transfer is about to be sent: from now on the call leaves this screen. */
  onSending: () => void;
  /** The call moved; `call` is its new view (queued or offline at the target). */
  onTransferred: (call: CallView) => void;
  /** The transfer failed: the call stays here. */
  onFailed: () => void;
}

/** The Transfer button, which opens the dialog. */
export function createTransferButton(options: TransferOptions): HTMLElement {
  const { services } = options;
  const open = h("button", { type: "button", testid: "call-transfer" }, "Transfer…");
  const select = h("select", { name: "service_id", "aria-label": "Service", testid: "transfer-service" });
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "transfer-error" });
  const errors = new ErrorLine(errorText);
  const form = h(
    "form",
    { method: "dialog", class: "transfer-form", testid: "transfer-form" },
    h("h3", {}, "Transfer the call"),
    h(
      "label",
      { class: "toggle" },
      h("input", {
        type: "radio",
        name: "to",
        value: "service",
        checked: true,
        testid: "transfer-to-service",
      }),
      h("span", {}, "To another service"),
    ),
    select,
    h(
      "label",
      { class: "toggle" },
      h("input", { type: "radio", name: "to", value: "user", testid: "transfer-to-user" }),
      h("span", {}, "To an operator, by user ID"),
    ),
    h("input", {
      name: "user_id",
      placeholder: "@100000002:example.org",
      "aria-label": "Operator's user ID",
      autocomplete: "off",
      testid: "transfer-user",
    }),
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
      h("button", { type: "button", testid: "transfer-cancel" }, "Cancel"),
    ),
  );
  const dialog = h("dialog", { class: "transfer-dialog", testid: "transfer-dialog" }, form);
  const userInput = form.querySelector<HTMLInputElement>('[name="user_id"]')!;
  const toService = form.querySelector<HTMLInputElement>('[value="service"]')!;
  const choose = (service: boolean) => {
    toService.checked = service;
    form.querySelector<HTMLInputElement>('[value="user"]')!.checked = !service;
  };
  select.addEventListener("focus", () => choose(true));
  userInput.addEventListener("focus", () => choose(false));
  form.querySelector('[data-testid="transfer-cancel"]')!.addEventListener("click", () => dialog.close());

  const loadTargets = () => {
    replaceChildren(select, h("option", { value: "" }, "Loading services…"));
    delete select.dataset.loaded;
    transferTargets(services, options.call()).then(
      (targets) => {
        replaceChildren(
          select,
          ...(targets.length > 0
            ? targets.map((s) => h("option", { value: s.service_id }, s.display_name))
            : [h("option", { value: "" }, "No other service of this customer that you operate")]),
        );
        select.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
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
    const known = Object.values(target)[0];
    if (!known) {
      errors.show(new Error(toService.checked ? "Choose a service." : "Enter the operator's user ID."));
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
