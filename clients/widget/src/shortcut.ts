/**
 * The shortcut on the page's left or right edge: a tab in the status colour with the owner's
 * text, a dot that is filled when operators are online (so the state does not rest on colour
 * alone), and the state in words for screen readers (its label). It lives in a shadow root on
 * its own element, whose inherited styles are reset, so the host page's CSS neither reaches it
 * nor is touched by it. Hidden until the first status arrives, when refused, and while the
 * service is paused (it takes no calls at all then).
 */
import type { WidgetStateValue, WidgetStatus } from "../../../protocol/callsign/widgets.js";
import { css, FONT, h, TOP_LAYER } from "./dom.js";

const SAYS: Record<WidgetStateValue, string> = {
  online: "online now",
  offline: "nobody online, you can leave a message",
  closed: "closed now",
  paused: "not taking calls",
};

/** `data-state` before the first status, and after a refusal. */
const LOADING = "loading";
const UNAVAILABLE = "unavailable";

export class Shortcut {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  readonly button: HTMLButtonElement;
  private readonly dot = h("span", {
    width: "8px",
    height: "8px",
    borderRadius: "50%",
    border: "2px solid currentColor",
    flex: "none",
  });
  private readonly label = h("span", {});

  constructor(onOpen: () => void) {
    this.host = document.createElement("callsign-widget");
    // Cut the inheritance of the host page's fonts and colours at our element.
    this.host.style.setProperty("all", "initial");
    this.root = this.host.attachShadow({ mode: "open" });
    this.button = h(
      "button",
      {
        display: "none",
        position: "fixed",
        top: "50%",
        zIndex: TOP_LAYER,
        alignItems: "center",
        gap: "8px",
        writingMode: "vertical-rl",
        padding: "16px 10px",
        margin: "0",
        border: "0",
        // With the left tab turned half round, these corners face the page on both sides.
        borderRadius: "8px 0 0 8px",
        color: "#fff",
        font: `600 15px/1.2 ${FONT}`,
        letterSpacing: "0.02em",
        cursor: "pointer",
        boxShadow: "0 2px 10px rgba(0, 0, 0, 0.25)",
      },
      { type: "button", "aria-haspopup": "dialog", "data-testid": "widget-button", "data-state": LOADING },
      this.dot,
      this.label,
    );
    this.button.addEventListener("click", onOpen);
    this.root.append(this.button);
  }

  show(status: WidgetStatus): void {
    const left = status.side === "left";
    css(this.button, {
      display: status.state === "paused" ? "none" : "flex",
      left: left ? "0" : "",
      right: left ? "" : "0",
      // On the left edge the text reads upwards, away from the edge.
      transform: left ? "translateY(-50%) rotate(180deg)" : "translateY(-50%)",
      backgroundColor: status.color,
    });
    this.dot.style.backgroundColor = status.state === "online" ? "currentColor" : "transparent";
    this.label.textContent = status.text;
    const says = `${status.display_name}: ${SAYS[status.state] ?? status.state}`;
    this.button.setAttribute("aria-label", `${status.text}, ${says}`);
    this.button.title = says;
    this.button.dataset.state = status.state;
  }

  unavailable(): void {
    this.button.style.display = "none";
    this.button.dataset.state = UNAVAILABLE;
  }
}
