/**
 * The Names screen: find a name and reserve it (paying for it when it costs), the user's names
 * with their state and renewals, and the user's domains, verified through DNS, which let them
 * claim brand names.
 */
import type { DomainView } from "../../../protocol/callsign/domains.js";
import type { NameClaimView, NamesApi } from "../../sdk/src/index.js";
import { createDomainsView } from "./domains-view.js";
import { h } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { createNameList } from "./name-list.js";
import { createNameSearch } from "./name-search.js";

export interface NamesPane {
  element: HTMLElement;
  /** Reads the names and domains again (when the pane is shown). */
  open: () => void;
  dispose: () => void;
}

export function createNamesPane(api: NamesApi, errors: ErrorLine): NamesPane {
  let domains: DomainView[] = [];
  const claims = new Map<string, NameClaimView>();
  const claimed = () => {
    search.refresh();
    list.refresh();
  };
  const search = createNameSearch({
    api,
    errors,
    domains: () => domains,
    onReserved: (view, quote) => {
      list.setDue(view.name, quote.total_cents);
      list.refresh(view.state === "held" ? view.name : undefined);
    },
    claims,
    onClaimed: claimed,
  });
  const list = createNameList({
    api,
    errors,
    onNames: (names) => {
      search.setHasUserName(names.some((n) => n.kind === "user"));
      domainsView.refreshBrands();
    },
  });
  const domainsView = createDomainsView({
    api,
    errors,
    onDomains: (next) => {
      const verifiedBefore = domains.filter((d) => d.state === "verified").length;
      domains = next;
      if (next.filter((d) => d.state === "verified").length !== verifiedBefore) search.refresh();
    },
    onReserve: (name) => search.search(name),
    claims,
    onClaimed: claimed,
  });

  return {
    element: h(
      "div",
      { class: "names", testid: "names-screen" },
      h("div", { class: "names-column" }, search.element, list.element),
      domainsView.element,
    ),
    open: () => {
      list.refresh();
      domainsView.refresh();
    },
    dispose: () => search.dispose(),
  };
}
