/** Settings: the inbox options (who may call and how) and the tags with their own call links. */
import type { InboxOptions } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { busy, h } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createTagsView } from "./tags-view.js";

export interface SettingsPane {
  element: HTMLElement;
  /** Reads the options and tags again (when the pane is shown). */
  open: () => void;
}

const OPTIONS: { key: keyof InboxOptions; label: string; hint: string }[] = [
  { key: "calls", label: "Incoming calls", hint: "Off: nobody can call you; callers may leave an SMS." },
  { key: "anonymous", label: "Calls from guests", hint: "Callers without an account." },
  { key: "one_click", label: "One-click calls", hint: "Off: callers must state a topic." },
  {
    key: "captcha",
    label: "Captcha for guests' one-click calls",
    hint: "Guests calling without a topic solve a captcha.",
  },
];

export function createSettingsPane(api: CallsignApi, errors: ErrorLine, baseUrl: string): SettingsPane {
  const boxes = new Map<keyof InboxOptions, HTMLInputElement>();
  const fieldset = h("fieldset", { class: "options", disabled: true, testid: "inbox-options" });
  for (const option of OPTIONS) {
    const box = h("input", {
      type: "checkbox",
      name: option.key,
      testid: `opt-${option.key.replace("_", "-")}`,
    });
    box.addEventListener("change", () => {
      const checked = box.checked;
      void busy(fieldset, errors, () => api.setInboxOptions({ [option.key]: checked })).then((options) =>
        options ? show(options) : (box.checked = !checked),
      );
    });
    boxes.set(option.key, box);
    fieldset.append(
      h(
        "label",
        { class: "toggle" },
        box,
        h("span", {}, option.label),
        h("small", { class: "muted" }, option.hint),
      ),
    );
  }
  const show = (options: InboxOptions) => {
    for (const [key, box] of boxes) box.checked = options[key];
    fieldset.disabled = false;
    fieldset.dataset.loaded = "true";
  };

  const tags = createTagsView(api, errors, baseUrl);
  return {
    element: h(
      "div",
      { class: "settings", testid: "settings" },
      h("section", { class: "card" }, h("h2", {}, "Inbox options"), fieldset),
      tags.element,
    ),
    open: () => {
      api.inboxOptions().then(show, (error: unknown) => errors.show(error));
      tags.refresh();
    },
  };
}
