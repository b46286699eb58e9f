// GET /_matrix/client/v3/devices
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const devices = route({
  method: "get",
  path: ClientRoutes.devices,
  scope: "client",
  auth: "user",
  handler: async ({ requester }, ctx) => ({
    devices: (await ctx.accounts.listDevices(requester.userId)).map((d) => ({
      device_id: d.deviceId,
      display_name: d.displayName ?? undefined,
      last_seen_ts: d.lastSeenAt?.getTime(),
    })),
  }),
});
