// POST /_callsign/payments/v1/webhook/{provider} — the payment provider's signed events.
import { PaymentRoutes } from "../../../../protocol/callsign/routes.js";
import { route, type RawBodyRequest } from "../../http/route.js";

export const paymentWebhook = route({
  method: "post",
  path: PaymentRoutes.webhook,
  scope: "absolute",
  auth: "none",
  handler: ({ params, raw }, ctx) =>
    ctx.invoices.webhook(params.provider!, (raw as RawBodyRequest).rawBody, raw.headers),
});
