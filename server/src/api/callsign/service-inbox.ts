// GET /_callsign/client/v1/services/{serviceId}/inbox, POST /services/{serviceId}/inbox/read,
// GET|PUT /services/{serviceId}/inbox/options
import { InboxOptionsRequest, MarkReadRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const serviceInbox = route({
  method: "get",
  path: CallsignRoutes.serviceInbox,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) =>
    ctx.inbox.inbox(await ctx.services.inboxOf(requester, params.serviceId!)),
});

export const serviceInboxRead = route({
  method: "post",
  path: CallsignRoutes.serviceInboxRead,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params, body }, ctx) => {
    const ids = parse(MarkReadRequest, body);
    await ctx.inbox.markRead(await ctx.services.inboxOf(requester, params.serviceId!), ids);
    return {};
  },
});

export const serviceInboxOptionsGet = route({
  method: "get",
  path: CallsignRoutes.serviceInboxOptions,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) =>
    ctx.inbox.options(await ctx.services.inboxOf(requester, params.serviceId!)),
});

/** Only the management team sets what the service's callers meet. */
export const serviceInboxOptionsPut = route({
  method: "put",
  path: CallsignRoutes.serviceInboxOptions,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params, body }, ctx) => {
    const patch = parse(InboxOptionsRequest, body);
    const service = await ctx.services.managed(requester, params.serviceId!);
    return ctx.inbox.setOptions(service.accountId, patch);
  },
});
