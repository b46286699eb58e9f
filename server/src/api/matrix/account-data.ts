// GET|PUT /_matrix/client/v3/user/{userId}/account_data/{type}
// GET|PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}
import { EventContent } from "../../../../protocol/matrix/requests.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { parse, route } from "../../http/route.js";

export const accountDataPut = route({
  method: "put",
  path: ClientRoutes.accountData,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    await ctx.accountData.put(requester, params.userId!, "", params.type!, parse(EventContent, body));
    return {};
  },
});

export const accountDataGet = route({
  method: "get",
  path: ClientRoutes.accountData,
  scope: "client",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.accountData.get(requester, params.userId!, "", params.type!),
});

export const roomAccountDataPut = route({
  method: "put",
  path: ClientRoutes.roomAccountData,
  scope: "client",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    await ctx.accountData.put(
      requester,
      params.userId!,
      params.roomId!,
      params.type!,
      parse(EventContent, body),
    );
    return {};
  },
});

export const roomAccountDataGet = route({
  method: "get",
  path: ClientRoutes.roomAccountData,
  scope: "client",
  auth: "user",
  handler: ({ requester, params }, ctx) =>
    ctx.accountData.get(requester, params.userId!, params.roomId!, params.type!),
});
