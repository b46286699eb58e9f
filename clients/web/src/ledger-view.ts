/**
 * A customer's payments ledger, for its team: every money movement — its services' plan
 * invoices and the fees of their ids — newest first, as the server records them (rows are only
 * ever added): when, what for, charge or refund, whether it went through, the amount, who paid
 * and the provider's reference. Read when opened, and again by Refresh.
 */
import type { LedgerEntryView } from "../../../protocol/callsign/billing.js";
import type { BillingApi } from "../../sdk/src/index.js";
import { ledgerAmountText, ledgerPurposeText } from "./billing-text.js";
import { busy, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { localpart } from "./identifiers.js";
import { whenCell } from "./when-cell.js";

export interface LedgerView {
  element: HTMLElement;
  /** Reads the ledger again, when it is open. */
  refresh: () => void;
}

export function createLedgerView(customerId: string, billing: BillingApi, errors: ErrorLine): LedgerView {
  const body = h("tbody", {});
  const table = h(
    "table",
    { class: "data-table", testid: "ledger" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Date"),
        h("th", {}, "For"),
        h("th", {}, "Movement"),
        h("th", { class: "amount" }, "Amount"),
        h("th", {}, "Paid by"),
        h("th", {}, "Reference"),
      ),
    ),
    body,
  );
  const reload = h("button", { type: "button", class: "small", testid: "ledger-refresh" }, "Refresh");

  const row = (entry: LedgerEntryView) =>
    h(
      "tr",
      { "data-status": entry.status, "data-kind": entry.kind, testid: "ledger-entry" },
      whenCell(entry.created_at),
      h("td", { testid: "ledger-purpose" }, ledgerPurposeText(entry)),
      h(
        "td",
        {},
        h(
          "span",
          { class: `pill ledger-${entry.status}`, testid: "ledger-kind" },
          `${entry.kind === "refund" ? "Refund" : "Charge"}${entry.status === "declined" ? ", declined" : ""}`,
        ),
      ),
      h("td", { class: "amount", testid: "ledger-amount" }, ledgerAmountText(entry)),
      h("td", { title: entry.payer }, localpart(entry.payer)),
      h(
        "td",
        { class: "muted reference", title: `${entry.provider}: ${entry.provider_ref ?? "no reference"}` },
        h("code", {}, entry.provider_ref ?? "—"),
        h("div", { class: "small-text" }, entry.provider),
      ),
    );

  const read = () =>
    billing.ledger(customerId).then(({ entries }) => {
      replaceChildren(
        body,
        ...(entries.length > 0
          ? entries.map(row)
          : [
              h(
                "tr",
                {},
                h("td", { colspan: "6", class: "empty", testid: "ledger-empty" }, "No payments yet."),
              ),
            ]),
      );
      table.dataset.loaded = "true";
    });

  const details = h(
    "details",
    { class: "card ledger-card", testid: "ledger-section" },
    h("summary", { testid: "ledger-open" }, h("h2", {}, "Payments ledger")),
    h(
      "p",
      { class: "muted" },
      "Every payment of this company: its services' plans and the fees of their ids.",
    ),
    h("div", { class: "table-wrap" }, table),
    h("div", { class: "row" }, reload),
  );
  details.addEventListener("toggle", () => {
    if (details.open) void read().catch((error: unknown) => errors.show(error));
  });
  reload.addEventListener("click", () => void busy(reload, errors, read));

  return {
    element: details,
    refresh: () => {
      if (details.open) void read().catch((error: unknown) => errors.show(error));
    },
  };
}
