/**
 * Finding the widget's own `<script data-widget="w_…">` tag and the homeserver it came from. The
 * tag is `document.currentScript` while the script runs; when that is not available (the script
 * was started some other way) every widget tag of the page not yet started is taken. A tag is
 * marked once started, so a snippet pasted twice shows one shortcut.
 */
import { WidgetRoutes } from "../../../protocol/callsign/routes.js";

export interface WidgetTag {
  widgetId: string;
  /** The homeserver's base URL: the script's URL without the script's path. */
  base: string;
}

const STARTED = "data-callsign-started";

export function claimWidgetTags(doc: Document): WidgetTag[] {
  const current = doc.currentScript;
  const candidates =
    current instanceof HTMLScriptElement && current.dataset.widget
      ? [current]
      : Array.from(doc.querySelectorAll<HTMLScriptElement>("script[data-widget]")).filter((s) =>
          new URL(s.src, doc.baseURI).pathname.endsWith(WidgetRoutes.script),
        );
  const tags: WidgetTag[] = [];
  for (const script of candidates) {
    const widgetId = script.dataset.widget ?? "";
    if (!widgetId || script.hasAttribute(STARTED) || started(doc, widgetId)) continue;
    script.setAttribute(STARTED, "");
    tags.push({ widgetId, base: baseOf(new URL(script.src, doc.baseURI)) });
  }
  return tags;
}

function started(doc: Document, widgetId: string): boolean {
  return Array.from(doc.querySelectorAll(`script[${STARTED}]`)).some(
    (s) => (s as HTMLScriptElement).dataset.widget === widgetId,
  );
}

/** `https://cs.example/base/_callsign/widget/v1/widget.js?v=2` → `https://cs.example/base`. */
function baseOf(src: URL): string {
  const at = src.pathname.lastIndexOf(WidgetRoutes.script);
  return src.origin + (at > 0 ? src.pathname.slice(0, at) : "");
}
