/**
 * The card form of a name's payment (the first term of a held name, or a renewal). The card
 * number goes to the homeserver as the payment `source`; a declined card is shown inside the
 * form, with the server's errcode, and the form stays open for another card.
 */
import { busy, field, h } from "./dom.js";
import { ErrorLine } from "./errors.js";

export interface PaymentFormOptions {
  /** What the button says, e.g. "Pay €50.00". */
  submitLabel: string;
  /** Charges the card; rejects with the server's error (IO_CALLSIGN_PAYMENT_DECLINED, …). */
  pay: (source: string) => Promise<unknown>;
  onPaid: () => void;
  onCancel: () => void;
}

/** The sandbox provider declines this card and accepts any other (spec/names.md "Payments"). */
export const SANDBOX_HINT =
  "Sandbox payments: any card number is accepted, except 4000 0000 0000 0002, which is declined.";

export function createPaymentForm(options: PaymentFormOptions): HTMLFormElement {
  const errorText = h("p", { class: "error-text", role: "alert", hidden: true, testid: "payment-error" });
  const errors = new ErrorLine(errorText);
  const submit = h(
    "button",
    { type: "submit", class: "primary", testid: "payment-submit" },
    options.submitLabel,
  );
  const cancel = h("button", { type: "button", testid: "payment-cancel" }, "Cancel");
  const form = h(
    "form",
    { class: "payment-form", testid: "payment-form" },
    h(
      "label",
      {},
      h("span", {}, "Card number"),
      h("input", {
        name: "card",
        required: true,
        inputmode: "numeric",
        autocomplete: "cc-number",
        maxlength: "32",
        placeholder: "4242 4242 4242 4242",
        testid: "card-number",
      }),
    ),
    h("small", { class: "muted", testid: "card-hint" }, SANDBOX_HINT),
    errorText,
    h("div", { class: "row" }, submit, cancel),
  );
  cancel.addEventListener("click", () => options.onCancel());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const card = field(form, "card");
    void busy(form, errors, async () => {
      await options.pay(card);
      return true;
    }).then((paid) => {
      if (paid) options.onPaid();
    });
  });
  return form;
}
