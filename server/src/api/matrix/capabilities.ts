// GET /_matrix/client/v3/capabilities
import { RoomVersions } from "../../../../protocol/matrix/event-types.js";
import { ClientRoutes } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const capabilities = route({
  method: "get",
  path: ClientRoutes.capabilities,
  scope: "client",
  auth: "user",
  handler: () => ({
    capabilities: {
      "m.change_password": { enabled: false },
      "m.room_versions": {
        default: RoomVersions.default,
        available: Object.fromEntries(RoomVersions.available.map((v) => [v, "stable"])),
      },
      "m.set_displayname": { enabled: true },
      "m.set_avatar_url": { enabled: true },
      "m.3pid_changes": { enabled: false },
    },
  }),
});
