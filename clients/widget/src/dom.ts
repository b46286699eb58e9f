/**
 * Building the widget's elements. Styles go through the CSSOM (`element.style`) only: a host page
 * whose Content-Security-Policy forbids inline styles still allows them, where `<style>` text or
 * `style="…"` attributes would be refused.
 */

type StyleKey = {
  [K in keyof CSSStyleDeclaration]: CSSStyleDeclaration[K] extends string ? K : never;
}[keyof CSSStyleDeclaration];
export type Style = Partial<Record<StyleKey, string>>;

export function css(element: HTMLElement, style: Style): void {
  Object.assign(element.style, style);
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Style,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  css(element, style);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/** Above the host page's own layers. */
export const TOP_LAYER = "2147483000";
