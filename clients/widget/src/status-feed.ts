/**
 * The widget's live status: a long poll on the status endpoint. Each request names the state it
 * last saw (`since`), so the server answers at once when the state moved on and otherwise holds
 * the request until it changes or `timeout` passes. Network failures and server errors are
 * retried after a capped, jittered backoff, for as long as the page lives; a refusal (this site
 * is not one of the widget's origins, or the widget is gone) stops the feed, since asking again
 * cannot help. A hidden page does not poll: it asks again, at once, when it is shown.
 */
import { WidgetRoutes } from "../../../protocol/callsign/routes.js";
import type { WidgetStatus } from "../../../protocol/callsign/widgets.js";
import { retryDelay } from "./backoff.js";

/** How long the server may hold a poll (it allows up to 30 s). */
export const POLL_WAIT_MS = 25_000;
/** Extra time past `POLL_WAIT_MS` before a silent request is given up as lost. */
const POLL_GRACE_MS = 15_000;
/**
 * The least time between two polls whose answer did not change the state: an intermediary that
 * cuts long polls short must not turn the widget into a busy loop.
 */
const MIN_POLL_GAP_MS = 2_000;

export interface StatusEvents {
  /** Every answer, changed or not (the owner may have changed the text or colour). */
  status(status: WidgetStatus): void;
  /** The server refused this page for good; `reason` is its message. */
  refused(reason: string): void;
}

/** A refusal the widget must not retry: 400, 403 or 404. */
class Refused extends Error {}

/** Polls until the page goes away or the server refuses. */
export function watchStatus(base: string, widgetId: string, on: StatusEvents): void {
  const path = base + WidgetRoutes.status.replace(":widgetId", encodeURIComponent(widgetId));
  let since: string | undefined;
  let failures = 0;
  void (async () => {
    for (;;) {
      await whenVisible();
      const started = Date.now();
      try {
        const query =
          since === undefined ? "" : `?since=${encodeURIComponent(since)}&timeout=${POLL_WAIT_MS}`;
        const status = await fetchStatus(path + query);
        failures = 0;
        const changed = status.state !== since;
        since = status.state;
        on.status(status);
        if (!changed) await sleep(MIN_POLL_GAP_MS - (Date.now() - started));
      } catch (error) {
        if (error instanceof Refused) {
          on.refused(error.message);
          return;
        }
        failures += 1;
        await sleep(retryDelay(failures));
      }
    }
  })();
}

async function fetchStatus(url: string): Promise<WidgetStatus> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), POLL_WAIT_MS + POLL_GRACE_MS);
  try {
    // No credentials and no custom headers: a simple CORS request, without a preflight.
    const res = await fetch(url, { credentials: "omit", cache: "no-store", signal: abort.signal });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 400 || res.status === 403 || res.status === 404) {
      const error = (body as { error?: unknown } | undefined)?.error;
      throw new Refused(typeof error === "string" ? error : `HTTP ${res.status}`);
    }
    if (!res.ok || !isStatus(body)) throw new Error(`unexpected answer (HTTP ${res.status})`);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/** Checks what the page will act on: the state, a colour, and an http(s) call page. */
function isStatus(body: unknown): body is WidgetStatus {
  const s = body as Partial<WidgetStatus> | undefined;
  return (
    typeof s?.state === "string" &&
    typeof s.color === "string" &&
    /^#[0-9a-f]{6}$/i.test(s.color) &&
    typeof s.text === "string" &&
    typeof s.call_url === "string" &&
    /^https?:\/\//i.test(s.call_url)
  );
}

function whenVisible(): Promise<void> {
  if (document.visibilityState !== "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const shown = () => {
      if (document.visibilityState === "hidden") return;
      document.removeEventListener("visibilitychange", shown);
      resolve();
    };
    document.addEventListener("visibilitychange", shown);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
