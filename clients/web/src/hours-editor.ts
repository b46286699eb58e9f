/**
 * The operating hours editor of a service, for its team: a time zone, per weekday one or more
 * from–to periods (none: closed that day), and exception dates whose periods replace their
 * weekday's (none: closed that date). "Always open" clears the schedule. Nothing is checked
 * here: the server validates the zone, times and periods, and its error shows in the editor.
 */
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import { ErrorLine } from "./errors.js";
import {
  DEFAULT_PERIOD,
  draftOf,
  hoursSummary,
  WEEKDAY_NAMES,
  wireOf,
  type HoursDraft,
  type Period,
  type Weekday,
} from "./hours-text.js";
import { unsavedEdits } from "./unsaved-edits.js";

export interface HoursEditor {
  element: HTMLElement;
  update: (service: ServiceView) => void;
}

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function createHoursEditor(
  serviceId: string,
  services: ServicesApi,
  onChange: (service: ServiceView) => void,
): HoursEditor {
  let draft: HoursDraft = draftOf(null, BROWSER_ZONE);
  const edits = unsavedEdits(onChange);
  const { changed } = edits;
  const summary = h("p", { class: "muted", testid: "hours-summary" });
  const edit = h("button", { type: "button", class: "small", testid: "hours-edit" }, "Set opening hours");
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "hours-error" });
  const errors = new ErrorLine(errorText);
  const zones = h("datalist", { id: `zones-${serviceId}` });
  const zone = h("input", {
    name: "time_zone",
    required: true,
    list: zones.id,
    autocomplete: "off",
    spellcheck: "false",
    testid: "hours-time-zone",
  });
  const days = h("div", { class: "hours-days", testid: "hours-days" });
  const exceptions = h("div", { class: "hours-days", testid: "hours-exceptions" });
  const addException = h(
    "button",
    { type: "button", class: "small", testid: "hours-add-exception" },
    "Add a date",
  );
  const save = h("button", { type: "submit", class: "primary small", testid: "hours-save" }, "Save hours");
  const always = h("button", { type: "button", class: "small", testid: "hours-always" }, "Always open");
  const form = h(
    "form",
    { class: "hours-form", hidden: true, testid: "hours-form" },
    h("label", { class: "inline-label" }, h("span", {}, "Time zone"), zone, zones),
    days,
    h("small", { class: "muted" }, "A period that ends at 00:00 runs until midnight."),
    h("h5", {}, "Exception dates"),
    exceptions,
    h(
      "div",
      { class: "row" },
      addException,
      h("small", { class: "muted" }, "A date's periods replace its weekday's; none: closed."),
    ),
    errorText,
    h("div", { class: "row" }, save, always),
  );

  const periodsEditor = (periods: Period[]) => {
    const box = h("div", { class: "periods" });
    const draw = () => {
      const rows = periods.map((period, i) => {
        const time = (index: 0 | 1, testid: string, label: string) => {
          const input = h("input", { type: "time", required: true, "aria-label": label, testid });
          input.value = period[index];
          input.addEventListener("input", () => {
            period[index] = input.value;
            changed();
          });
          return input;
        };
        const remove = h(
          "button",
          { type: "button", class: "link", "aria-label": "Remove period", testid: "hours-remove-period" },
          "×",
        );
        remove.addEventListener("click", () => {
          periods.splice(i, 1);
          changed();
          draw();
        });
        return h(
          "span",
          { class: "period", testid: "hours-period" },
          time(0, "hours-from", "From"),
          "–",
          time(1, "hours-to", "To (00:00: midnight)"),
          remove,
        );
      });
      const add = h("button", { type: "button", class: "link", testid: "hours-add-period" }, "+ period");
      add.addEventListener("click", () => {
        periods.push([...DEFAULT_PERIOD]);
        changed();
        draw();
      });
      replaceChildren(
        box,
        ...(rows.length > 0 ? rows : [h("span", { class: "muted", testid: "hours-closed" }, "Closed")]),
        add,
      );
    };
    draw();
    return box;
  };

  const drawDraft = () => {
    zone.value = draft.time_zone;
    replaceChildren(
      days,
      ...(Object.keys(WEEKDAY_NAMES) as Weekday[]).map((day) =>
        h(
          "div",
          { class: "hours-day", "data-day": day, testid: "hours-day" },
          h("span", { class: "hours-label" }, WEEKDAY_NAMES[day]),
          periodsEditor(draft.weekly[day]),
        ),
      ),
    );
    replaceChildren(
      exceptions,
      ...draft.exceptions.map((exception, i) => {
        const date = h("input", {
          type: "date",
          required: true,
          "aria-label": "Date",
          testid: "hours-exception-date",
        });
        date.value = exception.date;
        date.addEventListener("input", () => {
          exception.date = date.value;
          changed();
        });
        const remove = h(
          "button",
          { type: "button", class: "link", "aria-label": "Remove date", testid: "hours-remove-exception" },
          "×",
        );
        remove.addEventListener("click", () => {
          draft.exceptions.splice(i, 1);
          changed();
          drawDraft();
        });
        return h(
          "div",
          { class: "hours-day exception", testid: "hours-exception" },
          h("span", { class: "hours-label" }, date, remove),
          periodsEditor(exception.periods),
        );
      }),
    );
  };

  zone.addEventListener("input", () => {
    draft.time_zone = zone.value;
    changed();
  });
  zone.addEventListener("focus", () => {
    // Hundreds of zones: filled the first time someone needs them.
    if (zones.childElementCount === 0) {
      for (const name of Intl.supportedValuesOf("timeZone")) zones.append(h("option", { value: name }));
    }
  });
  addException.addEventListener("click", () => {
    draft.exceptions.push({ date: "", periods: [] });
    changed();
    drawDraft();
  });
  edit.addEventListener("click", () => {
    edit.hidden = true;
    form.hidden = false;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(form, errors, () => services.setHours(serviceId, wireOf(draft))).then(edits.saved);
  });
  always.addEventListener("click", () => {
    void busy(form, errors, () => services.setHours(serviceId, null)).then(edits.saved);
  });

  return {
    element: h(
      "section",
      { class: "service-section", testid: "hours-section" },
      h("h4", {}, "Operating hours"),
      h("div", { class: "row" }, summary, edit),
      form,
    ),
    update: (service) => {
      summary.textContent = hoursSummary(service.hours, service.open);
      if (edits.dirty) return;
      errors.clear();
      draft = draftOf(service.hours, BROWSER_ZONE);
      drawDraft();
      form.hidden = service.hours === null;
      edit.hidden = service.hours !== null;
    },
  };
}
