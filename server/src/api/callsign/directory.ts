// GET /_callsign/client/v1/directory?q=<text>[&limit=] — names and verified domains for the dial box.
import { z } from "zod";
import { CallsignRoutes } from "../../../../protocol/callsign/routes.js";
import { parse, route } from "../../http/route.js";

const DirectoryQuery = z.looseObject({
  q: z.string().max(256),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

export const directory = route({
  method: "get",
  path: CallsignRoutes.directory,
  scope: "callsign",
  auth: "optional",
  handler: async ({ query }, ctx) => {
    const q = parse(DirectoryQuery, query, "query");
    return { results: await ctx.directory.search(q.q, q.limit) };
  },
});
