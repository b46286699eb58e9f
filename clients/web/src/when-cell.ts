/** A table cell with a moment in the reader's locale: the date, and the time below it in small. */
import { h } from "./dom.js";

export function whenCell(ms: number, title?: string): HTMLTableCellElement {
  const at = new Date(ms);
  return h(
    "td",
    { class: "when", title },
    h("time", { datetime: at.toISOString() }, at.toLocaleDateString(undefined, { dateStyle: "medium" })),
    h("div", { class: "muted small-text" }, at.toLocaleTimeString(undefined, { timeStyle: "short" })),
  );
}
