/**
 * The name search: the live quote of what is typed (debounced; a late answer for older text is
 * dropped), with the normalised form, whether it can be had or why not, the price with the brand
 * fee and release premium, and why it counts as a brand; "Reserve" takes it. A name someone else
 * holds whose brand domain the user has verified can be claimed from here.
 */
import type { DomainView } from "../../../protocol/callsign/domains.js";
import { HoldingStates } from "../../../protocol/callsign/domains.js";
import type { NameKind, NameQuote, NameView } from "../../../protocol/callsign/names.js";
import { ProtocolError, type NameClaimView, type NamesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import { describeError, type ErrorLine } from "./errors.js";
import {
  brandReasonText,
  claimText,
  formatMoney,
  priceLines,
  quoteReasonText,
  totalText,
} from "./names-text.js";

const DEBOUNCE_MS = 250;

export interface NameSearchOptions {
  api: NamesApi;
  errors: ErrorLine;
  /** The user's verified domains: a taken brand name of one of them can be claimed. */
  domains: () => DomainView[];
  /** A name was reserved at `quote`. */
  onReserved: (name: NameView, quote: NameQuote) => void;
  /** Claims made in this session, by name (the quote cannot tell that a name was claimed). */
  claims: Map<string, NameClaimView>;
  onClaimed: (claim: NameClaimView) => void;
}

export interface NameSearch {
  element: HTMLElement;
  /** Puts `text` into the search box and quotes it. */
  search: (text: string) => void;
  /** Quotes the current text again (after something changed: a reservation, a verified domain). */
  refresh: () => void;
  /** Whether the account holds a user name already: then names are reserved as service ids. */
  setHasUserName: (has: boolean) => void;
  dispose: () => void;
}

export function createNameSearch(options: NameSearchOptions): NameSearch {
  const { api, errors } = options;
  const input = h("input", {
    name: "name",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "320",
    placeholder: "Type a name, e.g. acme",
    "aria-label": "Name",
    testid: "name-search",
  });
  const userOption = h("option", { value: "user" }, "my user name");
  const kind = h(
    "select",
    { name: "kind", "aria-label": "Reserve as", testid: "name-kind" },
    userOption,
    h("option", { value: "service" }, "a service id"),
  );
  const reserve = h(
    "button",
    { type: "submit", class: "primary", disabled: true, testid: "name-reserve" },
    "Reserve",
  );
  const panel = h("div", { class: "quote", hidden: true, testid: "name-quote" });
  const form = h(
    "form",
    { class: "name-search", testid: "name-search-form" },
    input,
    h("label", { class: "inline-label" }, h("span", {}, "Reserve as"), kind),
    panel,
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  /** The quote shown, and the text it answers. */
  let shown: { text: string; quote: NameQuote } | null = null;

  const setState = (state: "idle" | "loading" | "quoted" | "error") => {
    panel.dataset.state = state;
    panel.hidden = state === "idle";
  };
  setState("idle");

  const lookup = async (text: string) => {
    const mine = ++seq;
    try {
      const quote = await api.quote(text);
      if (mine !== seq) return;
      shown = { text, quote };
      render(quote);
    } catch (error) {
      if (mine !== seq) return;
      shown = null;
      reserve.disabled = true;
      delete panel.dataset.name;
      delete panel.dataset.available;
      // An invalid name says which rule it breaks (spec/names.md "Reason codes").
      const reason =
        error instanceof ProtocolError && typeof error.extra.reason === "string" ? error.extra.reason : "";
      replaceChildren(
        panel,
        h(
          "p",
          { class: "error-text", testid: "quote-error" },
          describeError(error),
          reason && ` (${reason})`,
        ),
      );
      setState("error");
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    const text = input.value.trim();
    reserve.disabled = true;
    if (!text) {
      seq++;
      shown = null;
      return setState("idle");
    }
    setState("loading");
    timer = setTimeout(() => void lookup(text), DEBOUNCE_MS);
  };
  input.addEventListener("input", schedule);

  function render(quote: NameQuote): void {
    panel.dataset.name = quote.name;
    panel.dataset.available = String(quote.available);
    reserve.disabled = !quote.available;
    reserve.textContent =
      quote.total_cents === 0
        ? `Reserve ${quote.name}`
        : `Reserve ${quote.name} for ${formatMoney(quote.total_cents, quote.currency)}`;
    const typed = input.value.trim();
    const claimVia = quote.reason === "taken" ? claimableVia(quote, options.domains()) : undefined;
    const claimed = quote.reason === "taken" ? options.claims.get(quote.name) : undefined;
    replaceChildren(
      panel,
      h(
        "div",
        { class: "quote-head" },
        h("strong", { class: "quote-name", testid: "quote-name" }, quote.name),
        typed !== quote.name && h("span", { class: "muted", testid: "quote-typed" }, `as typed: ${typed}`),
        h(
          "span",
          {
            class: quote.available || quote.reason === "yours" ? "pill ok" : "pill no",
            testid: "quote-availability",
          },
          quoteReasonText(quote.reason),
        ),
      ),
      h(
        "dl",
        { class: "prices", testid: "quote-prices" },
        ...priceLines(quote).flatMap((line) => [
          h("dt", {}, line.label),
          h("dd", { testid: `quote-${line.label.toLowerCase().replace(/ /g, "-")}` }, line.amount),
        ]),
        h("dt", {}, "Total"),
        h("dd", { class: "total", testid: "quote-total" }, totalText(quote)),
      ),
      quote.is_brand &&
        h(
          "div",
          { class: "brand-reasons" },
          h("span", { class: "muted" }, "A brand name:"),
          h(
            "ul",
            { testid: "quote-brand-reasons" },
            ...quote.brand_reasons.map((reason) =>
              h("li", { testid: "quote-brand-reason", "data-kind": reason.kind }, brandReasonText(reason)),
            ),
          ),
        ),
      claimed && h("p", { testid: "quote-claimed" }, claimText(claimed)),
      !claimed && claimVia && claimButton(quote.name, claimVia),
      quote.available && h("div", { class: "row" }, reserve),
    );
    setState("quoted");
  }

  function claimButton(name: string, domain: string): HTMLElement {
    const button = h("button", { type: "button", class: "small", testid: "quote-claim" }, `Claim ${name}`);
    button.addEventListener("click", () => {
      void busy(button, errors, () => api.claim(name)).then((claim) => {
        if (!claim) return;
        options.claims.set(name, claim);
        options.onClaimed(claim);
      });
    });
    return h("p", { class: "row" }, h("span", {}, `You own ${domain}:`), button);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    // Enter before the quote arrived: quote first; the user reserves once they have seen it.
    if (!shown || shown.text !== text) {
      clearTimeout(timer);
      void lookup(text);
      return;
    }
    if (!shown.quote.available) return;
    const quoted = shown.quote;
    const name = quoted.name;
    void busy(form, errors, () => api.reserve(name, kind.value as NameKind)).then((view) => {
      if (!view) return;
      reserve.disabled = true;
      options.onReserved(view, quoted);
      void lookup(text);
    });
  });

  return {
    element: h("section", { class: "card", testid: "name-search-section" }, h("h2", {}, "Find a name"), form),
    search: (text) => {
      input.value = text;
      schedule();
      input.focus();
    },
    refresh: () => {
      const text = input.value.trim();
      if (text && panel.dataset.state !== "loading") void lookup(text);
    },
    setHasUserName: (has) => {
      userOption.disabled = has;
      userOption.textContent = has ? "my user name (you have one)" : "my user name";
      if (has) kind.value = "service";
    },
    dispose: () => clearTimeout(timer),
  };
}

/** The user's verified domain among the quote's brand domains, if any. */
function claimableVia(quote: NameQuote, domains: DomainView[]): string | undefined {
  const brandDomains = new Set(quote.brand_reasons.filter((r) => r.kind === "domain").map((r) => r.value));
  return domains.find((d) => HoldingStates.includes(d.state) && brandDomains.has(d.domain))?.display;
}
