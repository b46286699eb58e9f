import { h } from "./dom.js";

/**
 * A button that copies `text` to the clipboard. Without clipboard permission it selects `shown`
 * (the element showing the text) so that the user can copy it themselves.
 */
export function copyButton(
  text: string,
  shown: HTMLElement,
  testid: string,
  label = "Copy",
): HTMLButtonElement {
  const button = h("button", { type: "button", class: "small", testid }, label);
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(text).then(
      () => (button.textContent = "Copied"),
      () => {
        getSelection()?.selectAllChildren(shown);
        button.textContent = "Press Ctrl+C";
      },
    );
  });
  return button;
}
