/**
 * The dial box: call a number, an e-mail address, a user name or a pasted call link, with a
 * topic. While a name is typed the directory suggests people, services and verified domains;
 * once a handle is chosen (or the field is left) the box says whether its callee takes calls
 * now — online, not online, closed outside its hours, or not taking calls while unpaid.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi, NamesApi } from "../../sdk/src/index.js";
import { parseDialInput } from "./call-links.js";
import { calleeStatus, partyName } from "./call-text.js";
import { placeOrResume } from "./call-watch.js";
import { attachDialSuggestions } from "./dial-suggestions.js";
import { busy, field, h } from "./dom.js";
import type { ErrorLine } from "./errors.js";

export function renderDialView(
  api: CallsignApi,
  names: NamesApi,
  errors: ErrorLine,
  onCall: (call: CallView) => void,
): HTMLElement {
  const handle = h("input", {
    name: "handle",
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "e.g. 100000001 or acmesupport",
    testid: "dial-handle",
  });
  const topic = h("input", {
    name: "topic",
    maxlength: "500",
    placeholder: "What is the call about?",
    testid: "dial-topic",
  });
  const status = h("p", { class: "presence", hidden: true, role: "status", testid: "dial-status" });
  const suggestions = attachDialSuggestions({
    input: handle,
    search: async (q) => (await names.directory(q, 8)).results,
    onChoose: () => {
      lookUp();
      topic.focus();
    },
  });

  /** Says how the callee stands now; a look-up that no longer matches the field is dropped. */
  const lookUp = () => {
    const typed = handle.value;
    const target = parseDialInput(typed);
    if (!target) {
      status.hidden = true;
      return;
    }
    api.handle(target.handle, target.tag).then(
      (view) => {
        if (handle.value !== typed) return;
        const { state, text } = calleeStatus(view);
        status.textContent = `${partyName(view.user)}: ${text}`;
        status.className = `presence ${state}`;
        status.dataset.state = state;
        status.hidden = false;
      },
      // An unknown handle is said when calling; until then there is nothing to tell.
      () => {
        if (handle.value === typed) status.hidden = true;
      },
    );
  };
  handle.addEventListener("change", lookUp);
  handle.addEventListener("input", () => (status.hidden = true));

  const form = h(
    "form",
    { class: "card dial", testid: "dial-form" },
    h("h2", {}, "Call someone"),
    h(
      "div",
      { class: "combobox" },
      h("label", {}, h("span", {}, "Number, e-mail, name or call link"), handle),
      suggestions,
    ),
    status,
    h("label", {}, h("span", {}, "Topic or question"), topic),
    h("button", { type: "submit", class: "primary", testid: "dial-submit" }, "Call"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const target = parseDialInput(field(form, "handle"));
    const about = field(form, "topic");
    if (!target) {
      errors.show(new Error("Enter a number, an e-mail address, a user name or a call link."));
      return;
    }
    void busy(form, errors, () => placeOrResume(api, { ...target, ...(about && { topic: about }) })).then(
      (call) => {
        if (!call) return;
        form.reset();
        status.hidden = true;
        onCall(call);
      },
    );
  });
  return form;
}
