/**
 * A tiny element builder. All text goes through `textContent`, never `innerHTML`, so that names
 * and messages typed by other users can never inject markup into the page.
 */

type Attributes = Record<string, string | boolean | undefined>;
/** What `h` and `replaceChildren` accept as children; empty values are skipped. */
export type Child = Node | string | null | undefined | false;

/** Builds an element; `testid` sets `data-testid`, boolean attributes are set when true. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    const attribute = name === "testid" ? "data-testid" : name;
    element.setAttribute(attribute, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/**
 * Reads a named field of an enabled form ("" when absent), trimmed unless `trim` is false
 * (passwords are taken exactly as typed).
 */
export function field(form: HTMLFormElement, name: string, trim = true): string {
  const value = new FormData(form).get(name);
  if (typeof value !== "string") return "";
  return trim ? value.trim() : value;
}

/** An element kept across redraws of a list, so that what the user typed into it survives. */
export interface ListItem<T> {
  element: HTMLElement;
  update: (item: T, index: number) => void;
}

/**
 * Draws `items` into `list`, reusing the element of every key already shown: new keys get a
 * new element, gone keys lose theirs, and nodes move only when the order changed (moving a
 * node out of the document would drop the focus of a field inside it).
 */
export function keyedList<T>(
  list: HTMLElement,
  key: (item: T) => string,
  create: (item: T) => ListItem<T>,
  empty: () => HTMLElement,
): (items: T[]) => void {
  const shown = new Map<string, ListItem<T>>();
  return (items) => {
    const keys = new Set(items.map(key));
    for (const [k] of shown) if (!keys.has(k)) shown.delete(k);
    const elements = items.map((item, index) => {
      const k = key(item);
      let entry = shown.get(k);
      if (!entry) {
        entry = create(item);
        shown.set(k, entry);
      }
      entry.update(item, index);
      return entry.element;
    });
    if (elements.length === 0) return replaceChildren(list, empty());
    const same =
      list.children.length === elements.length && elements.every((el, i) => list.children[i] === el);
    if (!same) replaceChildren(list, ...elements);
  };
}

/**
 * Runs a request from a button, form or fieldset: disables its controls meanwhile, clears the error line
 * first and shows the failure there. Resolves to the result, or undefined when it failed.
 */
export async function busy<T>(
  control: HTMLElement,
  errors: { clear: () => void; show: (error: unknown) => void },
  action: () => Promise<T>,
): Promise<T | undefined> {
  const controls = control instanceof HTMLFormElement ? [...control.elements] : [control];
  const disabled = controls.filter((c) => !c.hasAttribute("disabled"));
  for (const c of disabled) c.setAttribute("disabled", "");
  errors.clear();
  try {
    return await action();
  } catch (error) {
    errors.show(error);
    return undefined;
  } finally {
    for (const c of disabled) c.removeAttribute("disabled");
  }
}
