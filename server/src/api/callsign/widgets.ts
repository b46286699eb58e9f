// GET|POST /_callsign/client/v1/customers/{customerId}/widgets, PUT|DELETE /widgets/{widgetId}
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { UpdateWidgetRequest, WidgetSettings } from "../../../../protocol/callsign/widgets.js";
import { parse, route } from "../../http/route.js";

export const widgetsOfCustomer = route({
  method: "get",
  path: CallsignRoutes.customerWidgets,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => ({
    widgets: await ctx.widgets.list(requester, params.customerId!),
  }),
});

export const widgetCreate = route({
  method: "post",
  path: CallsignRoutes.customerWidgets,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.widgets.create(requester, params.customerId!, parse(WidgetSettings, body)),
});

export const widgetUpdate = route({
  method: "put",
  path: CallsignRoutes.widget,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, params, body }, ctx) =>
    ctx.widgets.update(requester, params.widgetId!, parse(UpdateWidgetRequest, body)),
});

export const widgetRemove = route({
  method: "delete",
  path: CallsignRoutes.widget,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.widgets.remove(requester, params.widgetId!);
    return {};
  },
});
