/**
 * One site widget of a customer: the service it calls, where and how it shows, the sites allowed
 * to show it, and the tag to paste into their pages (with a copy button) along with what a site
 * with a strict Content-Security-Policy must allow. Edit opens its settings in place; Delete asks
 * once more before it removes the widget, whose tag then shows nothing on the sites that still
 * have it.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { WidgetView } from "../../../protocol/callsign/widgets.js";
import type { WidgetsApi } from "../../sdk/src/index.js";
import { copyButton } from "./copy-button.js";
import { busy, h, replaceChildren, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createWidgetForm } from "./widget-form.js";

export interface WidgetItemOptions {
  widgets: WidgetsApi;
  errors: ErrorLine;
  /** The customer's services as last read. */
  services: () => ServiceView[];
  /** The widget was removed. */
  onRemoved: () => void;
}

/** The homeserver's origin, which a site's CSP must allow: where the snippet's script comes from. */
export function scriptOrigin(snippet: string): string | null {
  const src = /src="([^"]+)"/.exec(snippet)?.[1];
  if (!src) return null;
  try {
    return new URL(src).origin;
  } catch {
    return null;
  }
}

/** The shortcut in one of its colours (set through the CSSOM: no inline style attribute). */
function swatch(color: string, text: string): HTMLElement {
  const chip = h("span", { class: "widget-preview" }, text);
  chip.style.background = color;
  return chip;
}

export function widgetItem(first: WidgetView, options: WidgetItemOptions): ListItem<WidgetView> {
  const { widgets, errors } = options;
  let widget = first;
  let editing = false;
  const body = h("div", { class: "widget-body" });
  const element = h(
    "li",
    { class: "service-item widget-item", "data-widget-id": first.widget_id, testid: "widget" },
    body,
  );

  const serviceName = (id: string) => options.services().find((s) => s.service_id === id)?.display_name ?? id;

  const edit = () => {
    editing = true;
    const form = createWidgetForm({
      services: options.services(),
      widget,
      save: (settings) => widgets.update(widget.widget_id, settings),
      onSaved: (saved) => {
        editing = false;
        update(saved);
      },
      onCancel: () => {
        editing = false;
        draw();
      },
    });
    replaceChildren(body, form);
    form.querySelector("select")?.focus();
  };

  const removeButton = () => {
    const button = h("button", { type: "button", class: "small", testid: "widget-delete" }, "Delete");
    let armed = false;
    button.addEventListener("click", () => {
      if (!armed) {
        armed = true;
        button.textContent = "Delete: sure?";
        button.classList.add("danger");
        return;
      }
      void busy(button, errors, () => widgets.remove(widget.widget_id)).then(
        (done) => done && options.onRemoved(),
      );
    });
    return button;
  };

  const draw = () => {
    const snippet = h("code", { class: "snippet", testid: "widget-snippet" }, widget.snippet);
    const origin = scriptOrigin(widget.snippet) ?? "this homeserver";
    const editButton = h("button", { type: "button", class: "small", testid: "widget-edit" }, "Edit");
    editButton.addEventListener("click", edit);
    replaceChildren(
      body,
      h(
        "div",
        { class: "name-head" },
        h("strong", { class: "name-title", testid: "widget-service-name" }, serviceName(widget.service_id)),
        h(
          "span",
          { class: "muted", testid: "widget-side-text" },
          `${widget.side === "left" ? "Left" : "Right"} edge`,
        ),
      ),
      h(
        "div",
        { class: "row" },
        swatch(widget.color_online, `${widget.text} · taking calls`),
        swatch(widget.color_offline, `${widget.text} · not taking calls`),
      ),
      h(
        "p",
        { class: "muted" },
        "Shown on: ",
        h("span", { testid: "widget-origins-text" }, widget.origins.join(", ")),
      ),
      h("div", { class: "snippet-box" }, snippet, copyButton(widget.snippet, snippet, "widget-copy")),
      h(
        "p",
        { class: "muted small-text", testid: "widget-csp" },
        "Paste the tag into every page of those sites. A site with a Content-Security-Policy must allow ",
        h("code", {}, origin),
        " in script-src, connect-src and frame-src.",
      ),
      h("div", { class: "row" }, editButton, removeButton()),
    );
  };

  function update(next: WidgetView): void {
    widget = next;
    element.dataset.side = next.side;
    if (!editing) draw();
  }
  update(first);
  return { element, update };
}
