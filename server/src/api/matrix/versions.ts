// GET /_matrix/client/versions
import { AbsoluteRoutes, SupportedVersions } from "../../../../protocol/matrix/routes.js";
import { route } from "../../http/route.js";

export const versions = route({
  method: "get",
  path: AbsoluteRoutes.versions,
  scope: "absolute",
  auth: "none",
  limit: "none",
  handler: () => ({ versions: SupportedVersions, unstable_features: {} }),
});
