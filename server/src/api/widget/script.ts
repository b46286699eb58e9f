// GET /_callsign/widget/v1/widget.js — the site widget's script (built from clients/widget).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WidgetRoutes } from "../../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { Reply, route } from "../../http/route.js";

const built = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../clients/widget/dist/widget.js",
);
let script: Promise<string> | undefined;

export const widgetScript = route({
  method: "get",
  path: WidgetRoutes.script,
  scope: "absolute",
  auth: "none",
  handler: async ({ raw }) => {
    script ??= readFile(built, "utf8").catch((err: NodeJS.ErrnoException) => {
      script = undefined;
      if (err.code === "ENOENT") {
        throw new ProtocolError("M_NOT_FOUND", "The widget is not built: run `npm run build:web`");
      }
      throw err;
    });
    const body = await script;
    // Other sites load it with a <script> tag: allow that, and keep it from being sniffed.
    raw.res?.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    raw.res?.setHeader("Cache-Control", "public, max-age=300");
    return new Reply(200, body, "text/javascript; charset=utf-8");
  },
});
