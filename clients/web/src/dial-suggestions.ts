/**
 * Suggestions under the dial box's handle field while a name is typed: people, services and
 * domains from the directory (GET /directory?q=), each with its kind, the name its holder shows
 * and a "verified" mark for domains proven through DNS. Requests wait for a pause in typing and
 * only one is in flight at a time: what is typed meanwhile is asked for once it answers. The
 * list is an ARIA listbox: arrows move through it, Enter or a click chooses, Escape closes it.
 */
import type { DirectoryEntry } from "../../../protocol/callsign/names.js";
import { h, replaceChildren } from "./dom.js";

export interface DialSuggestionsOptions {
  input: HTMLInputElement;
  search: (query: string) => Promise<DirectoryEntry[]>;
  onChoose: (entry: DirectoryEntry) => void;
  /** Pause in typing before asking, in ms (default 200). */
  debounceMs?: number;
}

export const KIND_LABELS: Record<DirectoryEntry["kind"], string> = {
  user: "Person",
  service: "Service",
  domain: "Domain",
};

/** Whether the directory is worth asking about what was typed: not numbers, addresses or links. */
export function isDirectoryQuery(text: string): boolean {
  const q = text.trim();
  return [...q].length >= 2 && !/^\+?[\d\s-]+$/.test(q) && !/[@/]/.test(q);
}

export function attachDialSuggestions(options: DialSuggestionsOptions): HTMLElement {
  const { input, search, onChoose } = options;
  const id = `dial-suggestions-${Math.random().toString(36).slice(2)}`;
  const list = h("ul", {
    id,
    class: "suggestions",
    role: "listbox",
    hidden: true,
    testid: "dial-suggestions",
  });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");

  let entries: DirectoryEntry[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let again = false;

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll<HTMLElement>('[role="option"]').forEach((el, i) => {
      el.setAttribute("aria-selected", String(i === index));
      if (i === index) input.setAttribute("aria-activedescendant", el.id);
    });
  };
  const choose = (entry: DirectoryEntry) => {
    input.value = entry.handle;
    close();
    onChoose(entry);
  };
  const option = (entry: DirectoryEntry, i: number) => {
    const item = h(
      "li",
      {
        id: `${id}-${i}`,
        role: "option",
        "aria-selected": "false",
        "data-kind": entry.kind,
        testid: "dial-suggestion",
      },
      h("span", { class: `pill kind-${entry.kind}`, testid: "suggestion-kind" }, KIND_LABELS[entry.kind]),
      h(
        "span",
        { class: "grow" },
        h(
          "span",
          { class: "suggestion-name", testid: "suggestion-name" },
          entry.display_name || entry.handle,
        ),
        h("span", { class: "muted", testid: "suggestion-handle" }, ` ${entry.handle}`),
      ),
      entry.verified &&
        h(
          "span",
          { class: "pill domain-verified", title: "Proven through DNS", testid: "suggestion-verified" },
          "✓ verified",
        ),
    );
    // mousedown, not click: the field keeps the focus and its blur does not close the list first.
    item.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(entry);
    });
    item.addEventListener("mousemove", () => active !== i && highlight(i));
    return item;
  };
  const show = (found: DirectoryEntry[]) => {
    entries = found;
    if (found.length === 0 || document.activeElement !== input) return close();
    replaceChildren(list, ...found.map(option));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  };

  const ask = () => {
    if (inFlight) {
      again = true;
      return;
    }
    const query = input.value.trim();
    if (!isDirectoryQuery(query)) return close();
    inFlight = true;
    search(query)
      .then((found) => {
        // Typed on meanwhile: these answer an older question; the newer one follows.
        if (!again && input.value.trim() === query) show(found);
      })
      // Suggestions only help: a failed look-up leaves the field as typed, without a message.
      .catch(() => close())
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          ask();
        }
      });
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    if (!isDirectoryQuery(input.value)) return close();
    timer = setTimeout(ask, options.debounceMs ?? 200);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      // Positions -1 (none: what was typed) to n - 1, wrapping around.
      const step = event.key === "ArrowDown" ? 1 : -1;
      const positions = entries.length + 1;
      highlight(((active + 1 + step + positions) % positions) - 1);
    } else if (event.key === "Enter" && active >= 0 && entries[active]) {
      event.preventDefault();
      choose(entries[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  return list;
}
