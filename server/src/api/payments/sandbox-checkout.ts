// GET|POST /_callsign/sandbox/checkout/{token} — the sandbox payment provider's checkout page.
// It stands in for a real provider's hosted page: it shows what is paid for and takes a card.
import { ProtocolError } from "../../../../protocol/errors.js";
import { Reply, route } from "../../http/route.js";
import { SandboxRoutes } from "../../services/payments/sandbox.js";
import { z } from "zod";
import { parse } from "../../http/route.js";

const PayRequest = z.object({ card: z.string().trim().min(12).max(32) });

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const sandboxCheckoutPage = route({
  method: "get",
  path: SandboxRoutes.checkout,
  scope: "absolute",
  auth: "none",
  handler: ({ params }, ctx) => {
    const session = ctx.payments.openSession(params.token!);
    if (!session) throw new ProtocolError("M_NOT_FOUND", "No such checkout");
    const amount = `${(session.amountCents / 100).toFixed(2)} ${session.currency}`;
    return new Reply(
      200,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto">
<h1>Sandbox checkout</h1><p>Test mode: no money moves. Card 4000 0000 0000 0002 is declined.</p>
<p data-testid="description">${escape(session.description)}</p>
<p>Amount: <strong data-testid="amount">${escape(amount)}</strong></p>
<form id="pay"><label>Card number <input name="card" data-testid="card" autocomplete="off" value="4242 4242 4242 4242"></label>
<button data-testid="pay">Pay ${escape(amount)}</button></form><p id="result" data-testid="result" role="status"></p>
<script>
document.getElementById("pay").addEventListener("submit", async (e) => {
  e.preventDefault();
  const card = e.target.card.value;
  const res = await fetch(location.pathname, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ card }) });
  const body = await res.json();
  document.getElementById("result").textContent = res.ok ? (body.status === "paid" ? "Payment received." : "Declined: " + body.reason) : body.error;
});
</script></body></html>`,
      "text/html",
    );
  },
});

export const sandboxCheckoutPay = route({
  method: "post",
  path: SandboxRoutes.checkout,
  scope: "absolute",
  auth: "none",
  handler: async ({ params, body }, ctx) => {
    const session = ctx.payments.openSession(params.token!);
    if (!session) throw new ProtocolError("M_NOT_FOUND", "No such checkout");
    const { card } = parse(PayRequest, body);
    let event;
    try {
      event = await ctx.payments.pay(session, card);
    } catch (err) {
      ctx.logger.error({ err }, "the sandbox could not deliver its webhook");
      throw new ProtocolError(
        "IO_CALLSIGN_UNAVAILABLE",
        "The payment could not be confirmed to the shop; try again",
      );
    }
    return event.type === "checkout.completed"
      ? { status: "paid", charge: event.chargeRef }
      : { status: "declined", reason: event.declineReason };
  },
});
