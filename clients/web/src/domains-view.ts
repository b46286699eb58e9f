/**
 * "My domains": claim a domain, see the exact TXT record to publish (with copy buttons), check
 * it now and follow its state (pending, verified, failing, grace). A verified `<label>.<tld>`
 * domain shows the brand name it goes with: claim it from another holder, or reserve it.
 */
import { HoldingStates, type DomainView } from "../../../protocol/callsign/domains.js";
import { copyButton } from "./copy-button.js";
import { busy, field, h, keyedList, type ListItem } from "./dom.js";
import { createDomainBrand, type DomainBrandOptions } from "./domain-brand.js";
import { domainStateText, formatWhen } from "./names-text.js";

export interface DomainsView {
  element: HTMLElement;
  refresh: () => void;
  /** The brand-name lines of verified domains are read again (after names changed). */
  refreshBrands: () => void;
}

export interface DomainsViewOptions extends DomainBrandOptions {
  /** The domains were read or changed. */
  onDomains: (domains: DomainView[]) => void;
}

export function createDomainsView(options: DomainsViewOptions): DomainsView {
  const { api, errors } = options;
  const list = h("ul", { class: "domains", testid: "domains" });
  const items = new Map<string, DomainItem>();
  let current: DomainView[] = [];
  const draw = keyedList(
    list,
    (d: DomainView) => d.domain,
    (d) => {
      const item = domainItem(d, options, (next) => changed(next));
      items.set(d.domain, item);
      return item;
    },
    () => h("li", { class: "empty", testid: "domains-empty" }, "No domains yet."),
  );
  const show = (domains: DomainView[]) => {
    current = domains;
    for (const domain of items.keys()) if (!domains.some((d) => d.domain === domain)) items.delete(domain);
    draw(domains);
    list.dataset.loaded = "true";
    options.onDomains(domains);
  };
  /** One domain changed (checked) or went away (withdrawn: `next` is the domain name). */
  const changed = (next: DomainView | string) => {
    if (typeof next === "string") return show(current.filter((d) => d.domain !== next));
    show(
      current.some((d) => d.domain === next.domain)
        ? current.map((d) => (d.domain === next.domain ? next : d))
        : [...current, next],
    );
  };
  const refresh = () => {
    api.domains().then(
      ({ domains }) => show(domains),
      (error: unknown) => errors.show(error),
    );
  };

  const form = h(
    "form",
    { class: "inline-form", testid: "domain-form" },
    h("input", {
      name: "domain",
      required: true,
      maxlength: "253",
      placeholder: "acme.com",
      "aria-label": "Domain",
      autocomplete: "off",
      testid: "domain-input",
    }),
    h("button", { type: "submit", class: "primary", testid: "domain-add" }, "Add domain"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const domain = field(form, "domain");
    void busy(form, errors, () => api.claimDomain(domain)).then((claim) => {
      if (!claim) return;
      form.reset();
      changed(claim);
    });
  });

  return {
    element: h(
      "section",
      { class: "card", testid: "domains-section" },
      h("h2", {}, "My domains"),
      h(
        "p",
        { class: "muted" },
        "Prove that a domain is yours by publishing a TXT record in its DNS. The verified owner of " +
          "<name>.com (and other brand domains) may claim the name <name> from anyone else.",
      ),
      form,
      list,
    ),
    refresh,
    refreshBrands: () => {
      for (const item of items.values()) item.refreshBrand();
    },
  };
}

interface DomainItem extends ListItem<DomainView> {
  refreshBrand: () => void;
}

function domainItem(
  first: DomainView,
  options: DomainsViewOptions,
  changed: (next: DomainView | string) => void,
): DomainItem {
  const { api, errors } = options;
  let view = first;
  const badge = h("span", { class: "pill", testid: "domain-state" });
  const status = h("p", { class: "muted", testid: "domain-status" });
  const recordName = h("code", { testid: "record-name" }, first.record.name);
  const recordValue = h("code", { testid: "record-value" }, first.record.value);
  const recordIntro = h("p", {});
  const record = h(
    "div",
    { class: "record", testid: "domain-record" },
    recordIntro,
    h(
      "dl",
      {},
      h("dt", {}, "Name"),
      h("dd", {}, recordName, copyButton(first.record.name, recordName, "copy-record-name")),
      h("dt", {}, "Type"),
      h("dd", {}, h("code", { testid: "record-type" }, first.record.type)),
      h("dt", {}, "Value"),
      h("dd", {}, recordValue, copyButton(first.record.value, recordValue, "copy-record-value")),
    ),
  );
  const brand = createDomainBrand(options);

  const check = h("button", { type: "button", class: "primary small", testid: "domain-check" }, "Check now");
  check.addEventListener("click", () => {
    void busy(check, errors, () => api.checkDomain(view.domain)).then((next) => {
      if (next) changed(next);
    });
  });
  const remove = h("button", { type: "button", class: "small", testid: "domain-remove" }, "Remove");
  const confirm = h(
    "button",
    { type: "button", class: "danger small", hidden: true, testid: "domain-remove-confirm" },
    `Withdraw the claim of ${first.display}`,
  );
  remove.addEventListener("click", () => {
    remove.hidden = true;
    confirm.hidden = false;
  });
  confirm.addEventListener("click", () => {
    void busy(confirm, errors, () => api.withdrawDomain(view.domain)).then((done) => {
      if (done) changed(view.domain);
    });
  });

  const element = h(
    "li",
    { class: "domain-item", "data-domain": first.domain, testid: "domain-item" },
    h(
      "div",
      { class: "name-head" },
      h("strong", { class: "name-title", testid: "domain-name" }, first.display),
      badge,
    ),
    status,
    record,
    h("div", { class: "row" }, check, remove, confirm),
    brand.element,
  );

  const refreshBrand = () => brand.refresh(view);

  const update = (next: DomainView) => {
    const wasHolding = HoldingStates.includes(view.state);
    view = next;
    element.dataset.state = next.state;
    badge.textContent = domainStateText(next);
    badge.className = `pill domain-${next.state}`;
    status.textContent = statusText(next);
    status.className = next.state === "grace" || next.state === "failing" ? "warning" : "muted";
    // Once verified, the record only needs to stay; keep it visible but out of the way.
    const holding = HoldingStates.includes(next.state);
    record.classList.toggle("done", holding);
    recordIntro.textContent = holding
      ? "Keep this record published: it is checked again every day."
      : "Publish this record in the domain's DNS, exactly:";
    if (HoldingStates.includes(next.state) !== wasHolding || brand.element.hidden) refreshBrand();
  };
  update(first);
  return { element, update, refreshBrand };
}

function statusText(d: DomainView): string {
  const checked =
    d.last_checked_at === null ? "not checked yet" : `last checked ${formatWhen(d.last_checked_at)}`;
  switch (d.state) {
    case "pending":
      return `The record has not been seen yet (${checked}).`;
    case "verified":
      return `Verified ${formatWhen(d.verified_at)} (${checked}).`;
    case "failing":
      return `The last ${d.failures} check(s) did not find the record: put it back (${checked}).`;
    case "grace":
      return `In grace until ${formatWhen(d.grace_until)}: publish the record again or lose the domain.`;
    default:
      return `The claim is over (${d.state}): add the domain again for a new record.`;
  }
}
