/** README.md's configuration table, from `settings` in the config module: name, default, meaning. */
import { settings } from "../../server/src/config/settings.js";
import { code, table } from "./markdown.js";

/** Every setting with its default (`unset` when it has none) and its documentation. */
export function configSection(): string {
  return table(
    ["variable", "default", "meaning"],
    Object.entries(settings).map(([name, def]) => [
      code(name),
      def.default === undefined ? "unset" : code(def.default),
      def.doc,
    ]),
  );
}
