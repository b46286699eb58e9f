// GET|POST /_callsign/client/v1/tags, DELETE /_callsign/client/v1/tags/{name}
import { CreateTagRequest } from "../../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

export const tagsList = route({
  method: "get",
  path: CallsignRoutes.tags,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester }, ctx) => ({ tags: await ctx.tags.list(requester) }),
});

export const tagCreate = route({
  method: "post",
  path: CallsignRoutes.tags,
  scope: "callsign",
  auth: "account",
  handler: ({ requester, body }, ctx) => ctx.tags.create(requester, parse(CreateTagRequest, body)),
});

export const tagDelete = route({
  method: "delete",
  path: CallsignRoutes.tag,
  scope: "callsign",
  auth: "account",
  handler: async ({ requester, params }, ctx) => {
    await ctx.tags.remove(requester, params.name!);
    return {};
  },
});
