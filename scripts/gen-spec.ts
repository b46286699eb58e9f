/**
 * Generates the reference parts of the protocol specification from `protocol/` and the route
 * table, so the Markdown in `spec/` cannot drift from what the server serves:
 *
 * - `spec/generated/schemas.json`: JSON Schema (draft 2020-12) of every request schema in
 *   `protocol/matrix/requests.ts`, with the TSDoc of the schemas and their fields as
 *   `description`s;
 * - every `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` section of the Markdown files
 *   under `spec/` (the names are the keys of `sections` below), after which each Markdown file
 *   is formatted with Prettier, as `npm run lint` expects;
 * - the `<!-- generated:config -->` section of `README.md`: the configuration table, from
 *   `settings` in `server/src/config/config.ts`, formatted the same way.
 *
 * `renderSpec()` computes every file without writing, for `test/spec.test.ts`; running this
 * script (`npm run spec:gen`) writes the files that changed. The pieces live in `scripts/spec/`:
 * TSDoc reading (`tsdoc.ts`), JSON Schema (`json-schema.ts`), schema tables (`schema-tables.ts`),
 * the other reference tables (`reference-tables.ts`), the README's configuration table
 * (`config-table.ts`) and marker replacement (`markers.ts`).
 */
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { configSection } from "./spec/config-table.js";
import { requestJsonSchemas, type JsonSchema } from "./spec/json-schema.js";
import { fillSections } from "./spec/markers.js";
import { readmeFile, root, schemasFile, specDir } from "./spec/paths.js";
import {
  accountRulesSection,
  endpointsSection,
  errorsSection,
  eventTypesSection,
  identifiersSection,
  loginTypesSection,
  schemasSection,
  uiaStagesSection,
  versionsSection,
} from "./spec/reference-tables.js";
import { protocolDocs, type Docs } from "./spec/tsdoc.js";

export { requestJsonSchemas, type JsonSchema } from "./spec/json-schema.js";
export { root } from "./spec/paths.js";
export { displayPath, fullPaths } from "./spec/reference-tables.js";

interface Inputs {
  json: Record<string, JsonSchema>;
  authDocs: Docs;
}

/** The generated sections, by marker name. */
const sections: Record<string, (inputs: Inputs) => string> = {
  versions: () => versionsSection(),
  endpoints: () => endpointsSection(),
  errors: () => errorsSection(),
  "login-types": () => loginTypesSection(),
  identifiers: ({ json }) => identifiersSection(json),
  "uia-stages": ({ authDocs }) => uiaStagesSection(authDocs),
  "account-rules": () => accountRulesSection(),
  "event-types": () => eventTypesSection(),
  schemas: ({ json }) => schemasSection(json),
  config: () => configSection(),
};

export const sectionNames = Object.keys(sections);

async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(full)));
    else if (entry.name.endsWith(".md")) out.push(full);
  }
  return out.sort();
}

/**
 * Every generated file of the specification: repository-relative path → its full expected
 * content. Markdown files are read from `spec/` (and `README.md`), their generated sections
 * filled in and the result formatted with the repository's Prettier settings.
 */
export async function renderSpec(): Promise<Map<string, string>> {
  const json = await requestJsonSchemas();
  const inputs: Inputs = { json, authDocs: await protocolDocs("protocol/matrix/auth.ts") };
  const files = new Map<string, string>();
  const document = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Callsign client-server request schemas",
    description:
      "Generated from protocol/matrix/requests.ts by `npm run spec:gen`; do not edit. Each entry of $defs is one request body or query.",
    $defs: json,
  };
  files.set(schemasFile, `${JSON.stringify(document, null, 2)}\n`);
  for (const full of [...(await markdownFiles(specDir)), path.join(root, readmeFile)]) {
    const relative = path.relative(root, full).split(path.sep).join("/");
    const text = fillSections(relative, await readFile(full, "utf8"), sections, inputs);
    const options = (await prettier.resolveConfig(full)) ?? {};
    files.set(relative, await prettier.format(text, { ...options, filepath: full }));
  }
  return files;
}

async function main(): Promise<void> {
  const files = await renderSpec();
  for (const [relative, content] of files) {
    const full = path.join(root, relative);
    const current = await readFile(full, "utf8").catch(() => undefined);
    if (current === content) continue;
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
    console.log(`wrote ${relative}`);
  }
  console.log(`${files.size} spec files up to date`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
