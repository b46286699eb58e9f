/**
 * The brand name that goes with a verified `<label>.<tld>` domain, read from the name's quote
 * (which lists the domain when it counts as a brand domain of this provider): reserve it when
 * free, claim it from another holder, or see that it is the user's.
 */
import { HoldingStates, type DomainView } from "../../../protocol/callsign/domains.js";
import type { NameClaimView, NamesApi } from "../../sdk/src/index.js";
import { busy, h, replaceChildren } from "./dom.js";
import { describeError, type ErrorLine } from "./errors.js";
import { brandLabel, claimText } from "./names-text.js";

export interface DomainBrandOptions {
  api: NamesApi;
  errors: ErrorLine;
  /** "Reserve <label>": the name goes into the search box. */
  onReserve: (name: string) => void;
  /** Claims made in this session, by name (the quote cannot tell that a name was claimed). */
  claims: Map<string, NameClaimView>;
  onClaimed: (claim: NameClaimView) => void;
}

export interface DomainBrand {
  element: HTMLElement;
  /** Reads the quote of the domain's brand name again; hidden unless the domain is held. */
  refresh: (domain: DomainView) => void;
}

export function createDomainBrand(options: DomainBrandOptions): DomainBrand {
  const { api, errors } = options;
  const brand = h("div", { class: "domain-brand", hidden: true, testid: "domain-brand" });
  let seq = 0;

  const refresh = (view: DomainView) => {
    const label = brandLabel(view);
    const mine = ++seq;
    if (!label || !HoldingStates.includes(view.state)) {
      brand.hidden = true;
      return;
    }
    api.quote(label).then(
      (quote) => {
        if (mine !== seq) return;
        const counts = quote.brand_reasons.some((r) => r.kind === "domain" && r.value === view.domain);
        brand.hidden = false;
        brand.dataset.name = quote.name;
        brand.dataset.reason = quote.reason ?? "available";
        if (!counts) {
          const text = `${view.display} is not one of this provider's brand domains.`;
          return replaceChildren(brand, h("p", { class: "muted" }, text));
        }
        replaceChildren(brand, ...brandLine(quote.name, quote.reason));
      },
      (error: unknown) => {
        if (mine !== seq) return;
        brand.hidden = false;
        replaceChildren(brand, h("p", { class: "error-text" }, describeError(error)));
      },
    );
  };

  const brandLine = (name: string, reason: string | null): HTMLElement[] => {
    if (reason === null) {
      const reserve = h(
        "button",
        { type: "button", class: "small", testid: "domain-reserve" },
        `Reserve ${name}`,
      );
      reserve.addEventListener("click", () => options.onReserve(name));
      return [h("p", { class: "row" }, h("span", {}, `The brand name ${name} is free.`), reserve)];
    }
    if (reason === "yours") {
      return [h("p", { testid: "domain-brand-status" }, `The brand name ${name} is yours.`)];
    }
    if (reason !== "taken") {
      return [
        h("p", { class: "muted", testid: "domain-brand-status" }, `The brand name ${name}: ${reason}.`),
      ];
    }
    const claimed = options.claims.get(name);
    const result = h("p", { testid: "domain-claim-result" }, claimed && claimText(claimed));
    const claim = h(
      "button",
      { type: "button", class: "primary small", hidden: claimed !== undefined, testid: "domain-claim" },
      `Claim ${name}`,
    );
    claim.addEventListener("click", () => {
      void busy(claim, errors, () => api.claim(name)).then((done) => {
        if (!done) return;
        options.claims.set(name, done);
        claim.hidden = true;
        result.textContent = claimText(done);
        options.onClaimed(done);
      });
    });
    const status = h(
      "p",
      { class: "row", testid: "domain-brand-status" },
      h("span", {}, `Someone else holds the brand name ${name}.`),
      claim,
    );
    return [status, result];
  };

  return { element: brand, refresh };
}
