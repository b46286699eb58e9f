/**
 * How a service hands out its calls, for its team: shared (every online operator is rung and any
 * of them takes the head of the queue) or automatic (each call is offered to one free operator at
 * a time, moving on to the next when nobody takes it within the offer time-out). The plan decides
 * which modes a service may use; a refusal by the plan is explained with what to do about it.
 */
import type { PlanView } from "../../../protocol/callsign/billing.js";
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { planLimitError } from "./billing-text.js";
import { busy, h } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { unsavedEdits } from "./unsaved-edits.js";

export interface DistributionView {
  element: HTMLElement;
  update: (service: ServiceView) => void;
  /** The service's plan: says whether automatic distribution is included. */
  setPlan: (plan: PlanView) => void;
}

const DEFAULT_TIMEOUT_S = 20;
const PLAN_REMEDY = 'Choose a plan that includes it under "Plan and invoices".';

export function createDistributionView(
  serviceId: string,
  services: ServicesApi,
  onChange: (service: ServiceView) => void,
): DistributionView {
  const edits = unsavedEdits(onChange);
  const radio = (value: string, testid: string) =>
    h("input", { type: "radio", name: `mode-${serviceId}`, value, testid });
  const shared = radio("shared", "distribution-shared");
  const auto = radio("auto", "distribution-auto");
  const timeout = h("input", {
    type: "number",
    name: "offer_timeout_s",
    min: "5",
    max: "600",
    step: "1",
    required: true,
    "aria-label": "Offer time-out in seconds",
    testid: "distribution-timeout",
  });
  const planNote = h("small", { class: "muted", hidden: true, testid: "distribution-plan-note" });
  const errorText = h("p", {
    class: "error-text",
    role: "alert",
    hidden: true,
    testid: "distribution-error",
  });
  const errors = new ErrorLine(errorText);
  const save = h("button", { type: "submit", class: "small", testid: "distribution-save" }, "Save");
  const form = h(
    "form",
    { class: "distribution-form", testid: "distribution-form" },
    h(
      "label",
      { class: "toggle" },
      shared,
      h("span", {}, "Shared: every online operator is rung; any of them takes the first call"),
    ),
    h(
      "label",
      { class: "toggle" },
      auto,
      h("span", {}, "Automatic: each call is offered to one free operator at a time"),
    ),
    h(
      "label",
      { class: "inline-label timeout" },
      h("span", {}, "Offer a call to one operator for"),
      timeout,
      h("span", {}, "seconds, then to the next"),
    ),
    planNote,
    errorText,
    h("div", { class: "row" }, save),
  );
  const sync = () => (timeout.disabled = !auto.checked);
  for (const input of [shared, auto, timeout]) {
    input.addEventListener("input", () => {
      edits.changed();
      sync();
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const mode = auto.checked ? "auto" : "shared";
    const request = { mode, offer_timeout_s: Number(timeout.value) || DEFAULT_TIMEOUT_S } as const;
    void busy(form, errors, () =>
      services.setDistribution(serviceId, request).catch((e: unknown) => {
        throw planLimitError(e, PLAN_REMEDY);
      }),
    ).then(edits.saved);
  });

  return {
    element: h(
      "section",
      { class: "service-section", testid: "distribution-section" },
      h("h4", {}, "Distribution"),
      form,
    ),
    update: (service) => {
      if (edits.dirty) return;
      shared.checked = service.distribution.mode === "shared";
      auto.checked = service.distribution.mode === "auto";
      timeout.value = String(service.distribution.offer_timeout_s);
      form.dataset.mode = service.distribution.mode;
      sync();
    },
    setPlan: (plan) => {
      const included = plan.modes.includes("auto");
      planNote.hidden = included;
      planNote.textContent = included
        ? ""
        : `The ${plan.plan} plan has the shared queue only: automatic distribution needs a plan that includes it.`;
    },
  };
}
