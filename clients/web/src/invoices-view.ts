/**
 * A service's invoices, newest first, as a table: when, which plan, how much, the state and its
 * dates. An open invoice links to its checkout page (any member of the team pays it); a paid one
 * can be refunded by the customer's owner, which takes its period back — so Refund asks once
 * more before it acts.
 */
import type { InvoiceView } from "../../../protocol/callsign/billing.js";
import type { BillingApi } from "../../sdk/src/index.js";
import { INVOICE_LABELS, invoiceDatesText } from "./billing-text.js";
import { busy, h, replaceChildren } from "./dom.js";
import type { ErrorLine } from "./errors.js";
import { formatMoney } from "./names-text.js";
import { whenCell } from "./when-cell.js";

export interface InvoicesView {
  element: HTMLElement;
  /** Reads the invoices again. */
  refresh: () => void;
}

/** How long Refund waits for its confirmation before it goes back to asking. */
const CONFIRM_MS = 5000;

export function createInvoicesView(
  serviceId: string,
  billing: BillingApi,
  errors: ErrorLine,
  /** Whether the user owns the customer (only the owner refunds). */
  isOwner: () => boolean,
  /** A refund changed the subscription. */
  onRefunded: () => void,
): InvoicesView {
  const body = h("tbody", {});
  const table = h(
    "table",
    { class: "data-table", testid: "invoices" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Date"),
        h("th", {}, "Plan"),
        h("th", { class: "amount" }, "Amount"),
        h("th", {}, "State"),
        h("th", {}, ""),
      ),
    ),
    body,
  );

  const refundButton = (invoice: InvoiceView) => {
    const button = h("button", { type: "button", class: "small", testid: "invoice-refund" }, "Refund");
    let armed: ReturnType<typeof setTimeout> | undefined;
    button.addEventListener("click", () => {
      if (armed === undefined) {
        button.textContent = "Confirm refund";
        button.classList.add("danger");
        armed = setTimeout(() => {
          armed = undefined;
          button.textContent = "Refund";
          button.classList.remove("danger");
        }, CONFIRM_MS);
        return;
      }
      clearTimeout(armed);
      armed = undefined;
      void busy(button, errors, () => billing.refund(invoice.invoice_id)).then((done) => {
        if (!done) return;
        refresh();
        onRefunded();
      });
    });
    return button;
  };

  const row = (invoice: InvoiceView) => {
    const action =
      invoice.state === "open" && invoice.checkout_url
        ? h(
            "a",
            { href: invoice.checkout_url, target: "_blank", rel: "noopener", testid: "invoice-pay" },
            "Pay",
          )
        : invoice.state === "paid" && isOwner()
          ? refundButton(invoice)
          : null;
    return h(
      "tr",
      { "data-invoice-id": invoice.invoice_id, "data-state": invoice.state, testid: "invoice" },
      whenCell(invoice.created_at, invoice.invoice_id),
      h("td", {}, invoice.plan),
      h(
        "td",
        { class: "amount", testid: "invoice-amount" },
        formatMoney(invoice.amount_cents, invoice.currency),
      ),
      h(
        "td",
        {},
        h(
          "span",
          { class: `pill invoice-${invoice.state}`, testid: "invoice-state" },
          INVOICE_LABELS[invoice.state],
        ),
        h("div", { class: "muted small-text", testid: "invoice-dates" }, invoiceDatesText(invoice)),
      ),
      h("td", { class: "actions" }, action),
    );
  };

  function refresh(): void {
    billing.invoices(serviceId).then(
      ({ invoices }) => {
        replaceChildren(
          body,
          ...(invoices.length > 0
            ? invoices.map(row)
            : [
                h(
                  "tr",
                  {},
                  h("td", { colspan: "5", class: "empty", testid: "invoices-empty" }, "No invoices yet."),
                ),
              ]),
        );
        table.dataset.loaded = "true";
      },
      (error: unknown) => errors.show(error),
    );
  }

  return {
    element: h("div", { class: "table-wrap" }, table),
    refresh,
  };
}
