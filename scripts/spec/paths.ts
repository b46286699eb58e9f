/** Where the spec generator reads and writes, so no module works out the repository root twice. */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is `scripts/spec/paths.ts`). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The specification's Markdown tree. */
export const specDir = path.join(root, "spec");
/** The generated JSON Schema document, repository-relative. */
export const schemasFile = "spec/generated/schemas.json";
/** The repository README, whose configuration table is generated, repository-relative. */
export const readmeFile = "README.md";
