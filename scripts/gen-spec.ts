/**
 * Generates the reference parts of the protocol specification from `protocol/` and the route
 * table, so the Markdown in `spec/` cannot drift from what the server serves:
 *
 * - `spec/generated/schemas.json`: JSON Schema (draft 2020-12) of every request schema of the
 *   client API (`protocol/matrix/`, `protocol/callsign/`) and of the federation API
 *   (`protocol/federation/`), with the TSDoc of the schemas and their fields as `description`s;
 * - every `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` section of the Markdown files
 *   under `spec/` (the names are the keys of `sections` below), after which each Markdown file
 *   is formatted with Prettier, as `npm run lint` expects;
 * - the `<!-- generated:config -->` section of `README.md`: the configuration table, from
 *   `settings` in `server/src/config/settings.ts`, formatted the same way.
 *
 * `renderSpec()` computes every file without writing, for `test/spec.test.ts`; running this
 * script (`npm run spec:gen`) writes the files that changed. The pieces live in `scripts/spec/`:
 * TSDoc reading (`tsdoc.ts`, `interfaces.ts`), JSON Schema (`json-schema.ts`), schema tables
 * (`schema-tables.ts`), endpoint tables (`endpoint-tables.ts`), the other reference tables of
 * the client API (`reference-tables.ts`), the tables of the calls document (`call-tables.ts`,
 * with the hand-written triggers and error situations of `calls-notes.ts`), the README's
 * configuration table (`config-table.ts`) and marker replacement (`markers.ts`).
 */
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import {
  callConstantsSection,
  callDiagramSection,
  callErrorsSection,
  callJobsSection,
  callSettingsSection,
  callStatesSection,
  callTransitionsSection,
  callViewsSection,
  inboxOptionsSection,
  type Interfaces,
} from "./spec/call-tables.js";
import { configSection } from "./spec/config-table.js";
import { callsEndpointsSection, endpointsSection } from "./spec/endpoint-tables.js";
import { protocolInterfaces } from "./spec/interfaces.js";
import { requestJsonSchemas, type JsonSchema } from "./spec/json-schema.js";
import { fillSections } from "./spec/markers.js";
import { readmeFile, root, schemasFile, specDir } from "./spec/paths.js";
import {
  accountRulesSection,
  errorsSection,
  eventTypesSection,
  identifiersSection,
  loginTypesSection,
  schemasSection,
  uiaStagesSection,
  versionsSection,
} from "./spec/reference-tables.js";
import { protocolDocs, type Docs } from "./spec/tsdoc.js";
import { deliverySchemas } from "../protocol/federation/delivery.js";
import { FederationCallSchemas } from "../protocol/federation/calls.js";

export { requestJsonSchemas, type JsonSchema } from "./spec/json-schema.js";
export { root } from "./spec/paths.js";
export { callLinkPaths, displayPath, fullPaths, isCallsRoute } from "./spec/endpoint-tables.js";

interface Inputs {
  /** JSON Schema of the Matrix subset's request schemas. */
  json: Record<string, JsonSchema>;
  /** JSON Schema of the Callsign extension API's request schemas. */
  callsignJson: Record<string, JsonSchema>;
  /** JSON Schema of the federation API's request schemas. */
  federationJson: Record<string, JsonSchema>;
  /** JSON Schema of the call media endpoints' request schemas. */
  mediaJson: Record<string, JsonSchema>;
  authDocs: Docs;
  /** TSDoc of the calls protocol's constants (calls, requests and routes). */
  callDocs: Docs;
  /** TSDoc of the job names of the calling subsystem. */
  jobDocs: Docs;
  /** The response views of the calls protocol. */
  views: Interfaces;
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
  "calls-endpoints": () => callsEndpointsSection(),
  "call-constants": ({ callDocs }) => callConstantsSection(callDocs),
  "call-states": () => callStatesSection(),
  "call-diagram": () => callDiagramSection(),
  "call-transitions": () => callTransitionsSection(),
  "call-errors": () => callErrorsSection(),
  "call-jobs": ({ jobDocs }) => callJobsSection(jobDocs),
  "call-settings": () => callSettingsSection(),
  "inbox-options": ({ views }) => inboxOptionsSection(views),
  "call-views": ({ views }) => callViewsSection(views),
  "callsign-schemas": ({ callsignJson }) => schemasSection(callsignJson),
  "media-schemas": ({ mediaJson }) => schemasSection(mediaJson),
  "federation-delivery-schemas": ({ federationJson }) =>
    schemasSection(pick(federationJson, Object.keys(deliverySchemas))),
  "federation-call-schemas": ({ federationJson }) =>
    schemasSection(pick(federationJson, Object.keys(FederationCallSchemas))),
};

export const sectionNames = Object.keys(sections);

/** The schemas of one protocol file out of its family's. */
const pick = (all: Record<string, JsonSchema>, names: string[]) =>
  Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]!]));

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
  const json = await requestJsonSchemas("matrix");
  const callsignJson = await requestJsonSchemas("callsign");
  const federationJson = await requestJsonSchemas("federation");
  const mediaJson = await requestJsonSchemas("media");
  const clash = [
    ...Object.keys(callsignJson),
    ...Object.keys(federationJson),
    ...Object.keys(mediaJson),
  ].filter((name, i, all) => name in json || all.indexOf(name) !== i);
  if (clash.length) throw new Error(`request schemas named twice: ${clash.join(", ")}`);
  const callDocs: Docs = new Map();
  for (const file of ["calls", "requests", "routes"]) {
    for (const [k, v] of await protocolDocs(`protocol/callsign/${file}.ts`)) callDocs.set(k, v);
  }
  const inputs: Inputs = {
    json,
    callsignJson,
    federationJson,
    mediaJson,
    authDocs: await protocolDocs("protocol/matrix/auth.ts"),
    callDocs,
    jobDocs: await protocolDocs("server/src/services/calls/job-names.ts"),
    views: await protocolInterfaces("protocol/callsign/calls.ts"),
  };
  const files = new Map<string, string>();
  const document = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Callsign request schemas",
    description:
      "Generated from the request schemas of protocol/matrix/, protocol/callsign/ and protocol/federation/ by `npm run spec:gen`; do not edit. Each entry of $defs is one request body or query (client-server or server-server).",
    $defs: { ...json, ...callsignJson, ...federationJson, ...mediaJson },
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
