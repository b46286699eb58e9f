/**
 * A service's routing rules, for its team: a call whose topic contains one of a rule's keywords
 * (whole words, any case) goes to that rule's service — another service of the same customer —
 * instead; rules are tried in order and the first that matches wins. Edits are kept across
 * redraws of the card until saved; the server checks the targets and says what is wrong.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { RoutingRule, ServicesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { keywordsOf } from "./list-input.js";
import { unsavedEdits } from "./unsaved-edits.js";

export interface RoutesEditor {
  element: HTMLElement;
  update: (service: ServiceView) => void;
}

interface RuleDraft {
  keywords: string;
  service_id: string;
}

export function createRoutesEditor(
  serviceId: string,
  services: ServicesApi,
  /** The customer's services as last read (the targets a rule may name). */
  siblings: () => ServiceView[],
  onChange: (service: ServiceView) => void,
): RoutesEditor {
  let draft: RuleDraft[] = [];
  const edits = unsavedEdits(onChange);
  const { changed } = edits;
  const list = h("ol", { class: "routes", testid: "routes" });
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "routes-error" });
  const errors = new ErrorLine(errorText);
  const add = h("button", { type: "button", class: "small", testid: "route-add" }, "Add a rule");
  const save = h("button", { type: "submit", class: "primary small", testid: "routes-save" }, "Save rules");
  const none = h(
    "p",
    { class: "muted", hidden: true, testid: "routes-no-targets" },
    "Create another service of this company to send calls to it by topic.",
  );
  const form = h(
    "form",
    { class: "routes-form", testid: "routes-form" },
    list,
    errorText,
    h("div", { class: "row" }, add, save),
  );

  const targets = () => siblings().filter((s) => s.service_id !== serviceId);

  const draw = () => {
    const options = targets();
    none.hidden = options.length > 0;
    add.disabled = options.length === 0;
    if (draft.length === 0) {
      return replaceChildren(
        list,
        h("li", { class: "empty", testid: "routes-empty" }, "No rules: every call stays here."),
      );
    }
    replaceChildren(
      list,
      ...draft.map((rule, i) => {
        const keywords = h("input", {
          name: "keywords",
          required: true,
          placeholder: "refund, invoice",
          "aria-label": "Keywords, separated by commas",
          autocomplete: "off",
          testid: "route-keywords",
        });
        keywords.value = rule.keywords;
        keywords.addEventListener("input", () => {
          rule.keywords = keywords.value;
          changed();
        });
        const target = h(
          "select",
          { name: "service_id", "aria-label": "Send to", testid: "route-service" },
          ...options.map((s) => h("option", { value: s.service_id }, s.display_name)),
          // A target that is no longer the customer's stays visible until it is changed.
          !options.some((s) => s.service_id === rule.service_id) &&
            h("option", { value: rule.service_id }, `${rule.service_id} (not a service of this company)`),
        );
        target.value = rule.service_id;
        target.addEventListener("change", () => {
          rule.service_id = target.value;
          changed();
        });
        const up = h(
          "button",
          {
            type: "button",
            class: "link",
            "aria-label": "Try this rule earlier",
            disabled: i === 0,
            testid: "route-up",
          },
          "↑",
        );
        up.addEventListener("click", () => {
          [draft[i - 1], draft[i]] = [draft[i]!, draft[i - 1]!];
          changed();
          draw();
        });
        const remove = h(
          "button",
          { type: "button", class: "link", "aria-label": "Remove rule", testid: "route-remove" },
          "×",
        );
        remove.addEventListener("click", () => {
          draft.splice(i, 1);
          changed();
          draw();
        });
        return h(
          "li",
          { class: "route", testid: "route" },
          h("span", { class: "muted" }, "Topic has"),
          keywords,
          h("span", { class: "muted" }, "→"),
          target,
          up,
          remove,
        );
      }),
    );
  };

  add.addEventListener("click", () => {
    const first = targets()[0];
    if (!first) return;
    draft.push({ keywords: "", service_id: first.service_id });
    changed();
    draw();
    list.querySelector<HTMLInputElement>("li:last-child input")?.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const routes: RoutingRule[] = draft.map((r) => ({
      keywords: keywordsOf(r.keywords),
      service_id: r.service_id,
    }));
    void busy(form, errors, () => services.setRoutes(serviceId, routes)).then(edits.saved);
  });

  return {
    element: h(
      "section",
      { class: "service-section", testid: "routes-section" },
      h("h4", {}, "Routing by topic"),
      h(
        "p",
        { class: "muted" },
        "A call whose topic contains one of a rule's words goes to that service instead; the first rule that matches wins.",
      ),
      none,
      form,
    ),
    update: (service) => {
      // Redrawing would take the focus out of a rule being typed: edits wait until saved.
      if (edits.dirty) return;
      errors.clear();
      draft = service.routes.map((r) => ({ keywords: r.keywords.join(", "), service_id: r.service_id }));
      form.dataset.rules = String(service.routes.length);
      draw();
    },
  };
}
