/**
 * Paying on the payment provider's own page. The tab is opened at the click, before the invoice
 * exists, because browsers let a page open a window only while the user's gesture is fresh; it
 * is pointed at the checkout once the server answers (or closed when it fails). The provider's
 * page gets no handle on this one (`opener` is cut). The payment is confirmed to the homeserver
 * by the provider's webhook, not by this page, so coming back here is the moment to read again.
 */

export interface CheckoutTab {
  /** Sends the tab to the checkout page; false when the browser blocked the tab. */
  go: (url: string) => boolean;
  /** The invoice could not be made: the blank tab goes away. */
  abandon: () => void;
}

/** Opens a blank tab now, inside the click handler. */
export function openCheckoutTab(): CheckoutTab {
  const tab = window.open("about:blank", "_blank");
  if (tab) tab.opener = null;
  return {
    go: (url) => {
      if (!tab || tab.closed) return false;
      tab.location.href = url;
      return true;
    },
    abandon: () => tab?.close(),
  };
}

/**
 * Calls `onReturn` whenever the user comes back to this page (it regains focus or becomes
 * visible), until the returned function is called.
 */
export function whenBack(onReturn: () => void): () => void {
  const onVisible = () => {
    if (document.visibilityState === "visible") onReturn();
  };
  window.addEventListener("focus", onReturn);
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    window.removeEventListener("focus", onReturn);
    document.removeEventListener("visibilitychange", onVisible);
  };
}
