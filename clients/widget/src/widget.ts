/**
 * The site widget (spec/services.md "Site widget"): the script a company pastes into its pages,
 *   <script src="<homeserver>/_callsign/widget/v1/widget.js" data-widget="w_…" async></script>
 * It shows a shortcut on the left or right edge in the colour of the service's state, kept live
 * by a long poll, and opens the service's call page in a dialog over the site's page.
 *
 * Built into one small IIFE (scripts/build-web.mjs) with no framework. It needs nothing from the
 * host page but a place in <body>, and asks nothing of its Content-Security-Policy beyond
 * `script-src`, `connect-src` and `frame-src` for the homeserver: no eval, no inline style text
 * (every style goes through the CSSOM), no other hosts. Its elements sit in a shadow root, so
 * the page's CSS and ours stay apart.
 */
import type { WidgetStatus } from "../../../protocol/callsign/widgets.js";
import { CallDialog } from "./call-dialog.js";
import { claimWidgetTags, type WidgetTag } from "./script-tag.js";
import { Shortcut } from "./shortcut.js";
import { watchStatus } from "./status-feed.js";

function start({ widgetId, base }: WidgetTag): void {
  let latest: WidgetStatus | undefined;
  const shortcut = new Shortcut(() => {
    if (latest) dialog.open(latest, shortcut.button);
  });
  const dialog = new CallDialog(shortcut.root);
  shortcut.host.dataset.widget = widgetId;
  whenBody(() => document.body.append(shortcut.host));
  watchStatus(base, widgetId, {
    status: (status) => {
      latest = status;
      shortcut.show(status);
    },
    refused: (reason) => {
      shortcut.unavailable();
      console.warn(`Callsign widget ${widgetId} is not shown: ${reason}`);
    },
  });
}

/** An async script in <head> may run before <body> exists. */
function whenBody(then: () => void): void {
  if (document.body) then();
  else document.addEventListener("DOMContentLoaded", then, { once: true });
}

for (const tag of claimWidgetTags(document)) start(tag);
