/**
 * A service's operators, for its team: each by e-mail with their name once they have an
 * account, whether they are invited (no account has the address yet), active or online now, and
 * a Remove button; below, the form that adds one by e-mail address.
 */
import type { OperatorView, ServiceView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { busy, field, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { operatorStateText } from "./services-text.js";

export interface OperatorsView {
  element: HTMLElement;
  update: (service: ServiceView) => void;
}

export function createOperatorsView(
  serviceId: string,
  services: ServicesApi,
  errors: ErrorLine,
  onChange: (service?: ServiceView) => void,
): OperatorsView {
  const list = h("ul", { class: "plain-list", testid: "operators" });
  const form = h(
    "form",
    { class: "inline-form", testid: "operator-form" },
    h("input", {
      name: "email",
      type: "email",
      required: true,
      maxlength: "320",
      placeholder: "operator@example.org",
      "aria-label": "Operator's e-mail address",
      autocomplete: "off",
      testid: "operator-email",
    }),
    h("button", { type: "submit", class: "primary small", testid: "operator-add" }, "Add operator"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const email = field(form, "email");
    void busy(form, errors, () => services.addOperator(serviceId, email)).then((view) => {
      if (!view) return;
      form.reset();
      onChange(view);
    });
  });

  const row = (operator: OperatorView) => {
    const remove = h("button", { type: "button", class: "small", testid: "operator-remove" }, "Remove");
    remove.addEventListener("click", () => {
      void busy(remove, errors, () => services.removeOperator(serviceId, operator.email)).then(
        (done) => done && onChange(),
      );
    });
    const state = operatorStateText(operator);
    return h(
      "li",
      { class: "plain-item", "data-email": operator.email, testid: "operator" },
      h(
        "span",
        { class: "grow" },
        h("span", { testid: "operator-email-text" }, operator.email),
        operator.display_name && h("span", { class: "muted" }, ` (${operator.display_name})`),
      ),
      h(
        "span",
        {
          class: `pill operator-${state.toLowerCase()}`,
          testid: "operator-state",
          title: operator.user_id ?? "",
        },
        state,
      ),
      remove,
    );
  };

  return {
    element: h(
      "section",
      { class: "service-section", testid: "operators-section" },
      h("h4", {}, "Operators"),
      list,
      form,
    ),
    update: (service) => {
      if (service.operators.length === 0) {
        replaceChildren(
          list,
          h("li", { class: "empty", testid: "operators-empty" }, "No operators yet: nobody answers calls."),
        );
      } else replaceChildren(list, ...service.operators.map(row));
    },
  };
}
