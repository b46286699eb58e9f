// GET /_callsign/client/v1/plans, GET|PUT /services/{serviceId}/subscription,
// GET|POST /services/{serviceId}/invoices, POST /invoices/{invoiceId}/refund,
// GET /customers/{customerId}/ledger
import { ChangePlanRequest } from "../../../../protocol/callsign/billing.js";
import { CustomerRole } from "../../../../protocol/callsign/customers.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const plans = route({
  method: "get",
  path: CallsignRoutes.plans,
  scope: "callsign",
  auth: "optional",
  handler: (_call, ctx) => ({ plans: ctx.plans.list() }),
});

export const subscriptionGet = route({
  method: "get",
  path: CallsignRoutes.serviceSubscription,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) =>
    ctx.subscriptions.view((await ctx.services.managed(requester, params.serviceId!)).serviceId),
});

export const subscriptionChange = route({
  method: "put",
  path: CallsignRoutes.serviceSubscription,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params, body }, ctx) => {
    const { plan } = parse(ChangePlanRequest, body);
    return ctx.serviceSettings.changePlan(requester, params.serviceId!, plan);
  },
});

export const invoicesList = route({
  method: "get",
  path: CallsignRoutes.serviceInvoices,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => ({
    invoices: await ctx.invoices.ofService(await ctx.services.managed(requester, params.serviceId!)),
  }),
});

/** Only the management team pays: an invoice of one period of the plan, with its checkout page. */
export const invoiceCreate = route({
  method: "post",
  path: CallsignRoutes.serviceInvoices,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) =>
    ctx.invoices.checkout(requester, await ctx.services.managed(requester, params.serviceId!)),
});

export const invoiceRefund = route({
  method: "post",
  path: CallsignRoutes.invoiceRefund,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params }, ctx) =>
    ctx.invoices.refund(requester, params.invoiceId!, async (serviceId) => {
      const service = await ctx.services.managed(requester, serviceId).catch(() => undefined);
      return !!service && (await ctx.customers.roleOf(requester, service.customerId)) === CustomerRole.Owner;
    }),
});

export const customerLedger = route({
  method: "get",
  path: CallsignRoutes.customerLedger,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.customers.roleOf(requester, params.customerId!);
    return { entries: await ctx.invoices.ledger(params.customerId!) };
  },
});
