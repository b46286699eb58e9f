/**
 * A customer's site widgets, for its team: the shortcut its sites show on a page's edge, in the
 * colour that says whether a service takes calls now, which opens the service's call page over
 * the site. Each widget with its tag to paste; "New widget" sets one up for one of the
 * customer's services.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { WidgetView } from "../../../protocol/callsign/widgets.js";
import type { WidgetsApi } from "../../sdk/src/index.js";
import { h, keyedList, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createWidgetForm } from "./widget-form.js";
import { widgetItem } from "./widget-item.js";

export interface WidgetsView {
  element: HTMLElement;
  /** Reads the widgets again. */
  refresh: () => void;
  /** The customer's services changed (a widget needs one to call). */
  servicesChanged: () => void;
}

export function createWidgetsView(
  customerId: string,
  widgets: WidgetsApi,
  errors: ErrorLine,
  services: () => ServiceView[],
): WidgetsView {
  const list = h("ul", { class: "service-list", testid: "widgets" });
  const formBox = h("div", { class: "widget-new", hidden: true });
  const create = h("button", { type: "button", class: "primary small", testid: "widget-new" }, "New widget");
  const noService = h(
    "p",
    { class: "muted", hidden: true, testid: "widgets-no-service" },
    "Create a service first: a widget calls one of this company's services.",
  );

  const render = keyedList(
    list,
    (w: WidgetView) => w.widget_id,
    (w) => widgetItem(w, { widgets, errors, services, onRemoved: refresh }),
    () => h("li", { class: "empty", testid: "widgets-empty" }, "No widgets yet."),
  );

  const closeForm = () => {
    replaceChildren(formBox);
    formBox.hidden = true;
    create.hidden = false;
  };
  create.addEventListener("click", () => {
    const form = createWidgetForm({
      services: services(),
      save: (settings) => widgets.create(customerId, settings),
      onSaved: () => {
        closeForm();
        refresh();
      },
      onCancel: closeForm,
    });
    replaceChildren(formBox, h("h3", {}, "New widget"), form);
    formBox.hidden = false;
    create.hidden = true;
    form.querySelector("textarea")?.focus();
  });

  function refresh(): void {
    widgets.list(customerId).then(
      (view) => {
        render(view.widgets);
        list.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
  }
  const servicesChanged = () => {
    const none = services().length === 0;
    noService.hidden = !none;
    create.disabled = none;
  };

  return {
    element: h(
      "section",
      { class: "card", testid: "widgets-section" },
      h("h2", {}, "Site widgets"),
      h(
        "p",
        { class: "muted" },
        "A shortcut on the edge of your site's pages that shows whether a service takes calls now, " +
          "and opens its call page over the site.",
      ),
      list,
      noService,
      h("div", { class: "row" }, create),
      formBox,
    ),
    refresh,
    servicesChanged,
  };
}
