/**
 * The call, over the site's page: a modal dialog framing the service's call page, which the
 * homeserver lets the widget's sites (and only they) frame. Esc, the close button and a click
 * beside the dialog close it; focus moves into it on opening, stays in it (guards at both ends
 * send Tab round), and returns to the shortcut on closing. The frame is dropped on closing, so
 * the camera and microphone are released; the call page keeps the visitor's session, so opening
 * it again finds a waiting call.
 */
import type { WidgetStatus } from "../../../protocol/callsign/widgets.js";
import { FONT, h, TOP_LAYER } from "./dom.js";

export class CallDialog {
  private backdrop: HTMLElement | undefined;
  private opener: HTMLElement | undefined;

  constructor(private readonly root: ShadowRoot) {}

  open(status: WidgetStatus, opener: HTMLElement): void {
    if (this.backdrop) return;
    this.opener = opener;
    const title = h("span", { fontWeight: "600" }, { id: "callsign-call-title" }, status.display_name);
    const close = h(
      "button",
      {
        width: "32px",
        height: "32px",
        margin: "0",
        padding: "0",
        border: "0",
        borderRadius: "6px",
        background: "transparent",
        color: "inherit",
        font: `400 24px/1 ${FONT}`,
        cursor: "pointer",
      },
      { type: "button", "aria-label": "Close", "data-testid": "widget-close" },
      "×",
    );
    const frame = h(
      "iframe",
      { flex: "1", width: "100%", border: "0", background: "#fff" },
      {
        src: status.call_url,
        title: `Call ${status.display_name}`,
        allow: "camera; microphone; autoplay",
        "data-testid": "widget-frame",
      },
    );
    const guard = (target: HTMLElement) => {
      const g = h("span", {}, { tabindex: "0" });
      g.addEventListener("focus", () => target.focus());
      return g;
    };
    const header = h(
      "div",
      {
        display: "flex",
        alignItems: "center",
        justifyContent: "space-between",
        padding: "8px 8px 8px 16px",
        backgroundColor: status.color,
        color: "#fff",
      },
      {},
      title,
      close,
    );
    const panel = h(
      "div",
      {
        display: "flex",
        flexDirection: "column",
        width: "440px",
        maxWidth: "calc(100vw - 16px)",
        height: "640px",
        maxHeight: "calc(100vh - 16px)",
        overflow: "hidden",
        borderRadius: "12px",
        background: "#fff",
        color: "#111",
        font: `400 15px/1.4 ${FONT}`,
        boxShadow: "0 12px 40px rgba(0, 0, 0, 0.35)",
      },
      {
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": "callsign-call-title",
        "data-testid": "widget-dialog",
      },
      guard(frame),
      header,
      frame,
      guard(close),
    );
    this.backdrop = h(
      "div",
      {
        position: "fixed",
        top: "0",
        right: "0",
        bottom: "0",
        left: "0",
        zIndex: TOP_LAYER,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "rgba(17, 24, 39, 0.55)",
      },
      {},
      panel,
    );
    close.addEventListener("click", () => this.close());
    this.backdrop.addEventListener("click", (event) => {
      if (event.target === this.backdrop) this.close();
    });
    document.addEventListener("keydown", this.onKey);
    this.root.append(this.backdrop);
    close.focus();
  }

  close(): void {
    if (!this.backdrop) return;
    document.removeEventListener("keydown", this.onKey);
    this.backdrop.remove();
    this.backdrop = undefined;
    this.opener?.focus();
  }

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    this.close();
  };
}
