// GET /_callsign/client/v1/inbox, POST /inbox/read, GET|PUT /inbox/options
import { InboxOptionsRequest, MarkReadRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const inbox = route({
  method: "get",
  path: CallsignRoutes.inbox,
  scope: "callsign",
  auth: "user",
  handler: ({ requester }, ctx) => ctx.inbox.inbox(requester.userId),
});

export const inboxRead = route({
  method: "post",
  path: CallsignRoutes.inboxRead,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester, body }, ctx) => {
    await ctx.inbox.markRead(requester.userId, parse(MarkReadRequest, body));
    return {};
  },
});

export const inboxOptionsGet = route({
  method: "get",
  path: CallsignRoutes.inboxOptions,
  scope: "callsign",
  auth: "user",
  handler: ({ requester }, ctx) => ctx.inbox.options(requester.userId),
});

export const inboxOptionsPut = route({
  method: "put",
  path: CallsignRoutes.inboxOptions,
  scope: "callsign",
  auth: "account",
  // `account` auth: guests take no calls, so they have no options to set.
  handler: ({ requester, body }, ctx) =>
    ctx.inbox.setOptions(requester.userId, parse(InboxOptionsRequest, body)),
});
