/** The dial box: call a number, an e-mail address, a user name or a pasted call link, with a topic. */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { parseDialInput } from "./call-links.js";
import { placeOrResume } from "./call-watch.js";
import { busy, field, h } from "./dom.js";
import type { ErrorLine } from "./errors.js";

export function renderDialView(
  api: CallsignApi,
  errors: ErrorLine,
  onCall: (call: CallView) => void,
): HTMLElement {
  const form = h(
    "form",
    { class: "card dial", testid: "dial-form" },
    h("h2", {}, "Call someone"),
    h(
      "label",
      {},
      h("span", {}, "Number, e-mail, user name or call link"),
      h("input", {
        name: "handle",
        required: true,
        autocomplete: "off",
        placeholder: "e.g. 100000001",
        testid: "dial-handle",
      }),
    ),
    h(
      "label",
      {},
      h("span", {}, "Topic or question"),
      h("input", {
        name: "topic",
        maxlength: "500",
        placeholder: "What is the call about?",
        testid: "dial-topic",
      }),
    ),
    h("button", { type: "submit", class: "primary", testid: "dial-submit" }, "Call"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const target = parseDialInput(field(form, "handle"));
    const topic = field(form, "topic");
    if (!target) {
      errors.show(new Error("Enter a number, an e-mail address, a user name or a call link."));
      return;
    }
    void busy(form, errors, () => placeOrResume(api, { ...target, ...(topic && { topic }) })).then((call) => {
      if (!call) return;
      form.reset();
      onCall(call);
    });
  });
  return form;
}
