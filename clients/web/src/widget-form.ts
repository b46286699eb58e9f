/**
 * The settings of a site widget, to set one up or change it: the service it calls, the edge of
 * the page it sits on, its colours when the service takes calls and when it does not (with a
 * preview of both), its text, and the sites allowed to show it — one origin per line, scheme and
 * host (and port), no path. The server checks them and its refusal shows in the form.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { WidgetView } from "../../../protocol/callsign/widgets.js";
import type { CreateWidget } from "../../sdk/src/index.js";
import { busy, field, h } from "./dom.js";
import { ErrorLine } from "./errors.js";
import { originsOf } from "./list-input.js";

export interface WidgetFormOptions {
  /** The customer's services, one of which the widget calls. */
  services: ServiceView[];
  /** The widget being changed; absent for a new one. */
  widget?: WidgetView;
  save: (settings: CreateWidget) => Promise<WidgetView>;
  onSaved: (widget: WidgetView) => void;
  onCancel: () => void;
}

const DEFAULTS = {
  side: "right",
  color_online: "#1a7f37",
  color_offline: "#6e7781",
  text: "Call us",
} as const;

export function createWidgetForm(options: WidgetFormOptions): HTMLFormElement {
  const { widget } = options;
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "widget-error" });
  const errors = new ErrorLine(errorText);
  const service = h(
    "select",
    { name: "service_id", required: true, testid: "widget-service" },
    ...options.services.map((s) => h("option", { value: s.service_id }, s.display_name)),
  );
  const side = h(
    "select",
    { name: "side", testid: "widget-side" },
    h("option", { value: "right" }, "Right edge"),
    h("option", { value: "left" }, "Left edge"),
  );
  const colour = (name: string, testid: string, value: string) => {
    const input = h("input", { type: "color", name, testid });
    input.value = value;
    return input;
  };
  const online = colour("color_online", "widget-color-online", widget?.color_online ?? DEFAULTS.color_online);
  const offline = colour(
    "color_offline",
    "widget-color-offline",
    widget?.color_offline ?? DEFAULTS.color_offline,
  );
  const text = h("input", { name: "text", required: true, maxlength: "60", testid: "widget-text" });
  const origins = h("textarea", {
    name: "origins",
    required: true,
    rows: "3",
    placeholder: "https://www.acme.com\nhttps://shop.acme.com",
    spellcheck: "false",
    testid: "widget-origins",
  });
  const preview = (input: HTMLInputElement, label: string) => {
    const chip = h("span", { class: "widget-preview" });
    const draw = () => {
      chip.style.background = input.value;
      chip.textContent = `${text.value || DEFAULTS.text} · ${label}`;
    };
    input.addEventListener("input", draw);
    text.addEventListener("input", draw);
    return { chip, draw };
  };
  const previews = [preview(online, "taking calls"), preview(offline, "not taking calls")];

  service.value = widget?.service_id ?? options.services[0]?.service_id ?? "";
  side.value = widget?.side ?? DEFAULTS.side;
  text.value = widget?.text ?? DEFAULTS.text;
  origins.value = widget?.origins.join("\n") ?? "";
  for (const p of previews) p.draw();

  const cancel = h("button", { type: "button", testid: "widget-cancel" }, "Cancel");
  const form = h(
    "form",
    { class: "widget-form", testid: "widget-form" },
    h("label", {}, h("span", {}, "Service it calls"), service),
    h("label", {}, h("span", {}, "Where on the page"), side),
    h(
      "div",
      { class: "row colours" },
      h("label", { class: "inline-label" }, online, h("span", {}, "Taking calls")),
      h("label", { class: "inline-label" }, offline, h("span", {}, "Closed or nobody online")),
    ),
    h("label", {}, h("span", {}, "Text"), text),
    h("div", { class: "row", testid: "widget-preview" }, ...previews.map((p) => p.chip)),
    h(
      "label",
      {},
      h("span", {}, "Sites that may show it, one per line (https://www.acme.com, no path)"),
      origins,
    ),
    errorText,
    h(
      "div",
      { class: "row" },
      h(
        "button",
        { type: "submit", class: "primary", testid: "widget-save" },
        widget ? "Save" : "Create widget",
      ),
      cancel,
    ),
  );
  cancel.addEventListener("click", () => options.onCancel());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const settings: CreateWidget = {
      service_id: field(form, "service_id"),
      side: field(form, "side") === "left" ? "left" : "right",
      color_online: field(form, "color_online"),
      color_offline: field(form, "color_offline"),
      text: field(form, "text"),
      origins: originsOf(field(form, "origins", false)),
    };
    void busy(form, errors, () => options.save(settings)).then((saved) => saved && options.onSaved(saved));
  });
  return form;
}
