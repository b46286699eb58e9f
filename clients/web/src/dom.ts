/**
 * A tiny element builder. All text goes through `textContent`, never `innerHTML`, so that names
 * and messages typed by other users can never inject markup into the page.
 */

type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

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
