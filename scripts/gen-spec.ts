/**
 * Generates the reference parts of the protocol specification from `protocol/` and the route
 * table, so the Markdown in `spec/` cannot drift from what the server serves:
 *
 * - `spec/generated/schemas.json`: JSON Schema (draft 2020-12) of every request schema in
 *   `protocol/matrix/requests.ts`, with the TSDoc of the schemas and their fields as
 *   `description`s;
 * - every `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` section of the Markdown files
 *   under `spec/` (the names are the keys of `sections` below), after which each Markdown file
 *   is formatted with Prettier, as `npm run lint` expects.
 *
 * `renderSpec()` computes every file without writing, for `test/spec.test.ts`; running this
 * script (`npm run spec:gen`) writes the files that changed.
 */
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import ts from "typescript";
import { z } from "zod";
import { ErrorCodes } from "../protocol/errors.js";
import { AccountRules, AuthStage, IdentifierType, LoginType } from "../protocol/matrix/auth.js";
import {
  EventType,
  NotifyingEventTypes,
  RoomVersions,
  StrippedStateTypes,
} from "../protocol/matrix/event-types.js";
import { schemas } from "../protocol/matrix/requests.js";
import { ClientPrefixes, SupportedVersions } from "../protocol/matrix/routes.js";
import { routes } from "../server/src/api/index.js";
import type { Auth, RouteDef } from "../server/src/http/route.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const specDir = path.join(root, "spec");
const schemasFile = "spec/generated/schemas.json";

// ---------------------------------------------------------------------------------------------
// TSDoc of the protocol sources

type Docs = Map<string, string>;

/**
 * The TSDoc comments of a source file, keyed by `Const` for a top-level constant and by
 * `Const.field.subfield` for properties of the object literals it is built from. A field whose
 * value is built from another top-level constant (`auth: AuthDict.optional()`) inherits that
 * constant's comment and the comments of its fields.
 */
function tsDocs(file: string, text: string): Docs {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const docOf = (node: ts.Node): string | undefined => {
    const jsDoc = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).at(-1);
    const comment = jsDoc && ts.getTextOfJSDocComment(jsDoc.comment);
    return comment ? comment.replace(/\s+/g, " ").trim() : undefined;
  };
  interface Field {
    path: string;
    doc?: string;
    ref?: string;
  }
  const consts = new Map<string, { doc?: string; fields: Field[] }>();
  const rootName = (e: ts.Expression): string | undefined => {
    while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) e = e.expression;
    return ts.isIdentifier(e) ? e.text : undefined;
  };
  const collect = (e: ts.Expression, prefix: string, out: Field[]): void => {
    if (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))
      return collect(e.expression, prefix, out);
    if (ts.isPropertyAccessExpression(e)) return collect(e.expression, prefix, out);
    if (ts.isCallExpression(e)) {
      collect(e.expression, prefix, out);
      for (const arg of e.arguments) collect(arg, prefix, out);
      return;
    }
    if (!ts.isObjectLiteralExpression(e)) return;
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      if (!ts.isIdentifier(p.name) && !ts.isStringLiteral(p.name)) continue;
      const fieldPath = prefix + p.name.text;
      out.push({ path: fieldPath, doc: docOf(p), ref: rootName(p.initializer) });
      collect(p.initializer, `${fieldPath}.`, out);
    }
  };
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const fields: Field[] = [];
      if (d.initializer) collect(d.initializer, "", fields);
      consts.set(d.name.text, { doc: docOf(statement), fields });
    }
  }
  const docs: Docs = new Map();
  const add = (name: string, prefix: string, depth: number) => {
    const c = consts.get(name);
    if (!c || depth > 8) return;
    for (const f of c.fields) {
      const ref = f.ref && f.ref !== name ? consts.get(f.ref) : undefined;
      const doc = f.doc ?? ref?.doc;
      if (doc) docs.set(prefix + f.path, doc);
      if (ref) add(f.ref!, `${prefix}${f.path}.`, depth + 1);
    }
  };
  for (const [name, c] of consts) {
    if (c.doc) docs.set(name, c.doc);
    add(name, `${name}.`, 0);
  }
  return docs;
}

async function protocolDocs(relative: string): Promise<Docs> {
  return tsDocs(relative, await readFile(path.join(root, relative), "utf8"));
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

/** The subset of JSON Schema that `z.toJSONSchema` produces for the protocol's schemas. */
export interface JsonSchema {
  $schema?: string;
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Adds `docs` (keyed `field.subfield`) to the matching properties as `description`. */
function describe(schema: JsonSchema, docs: Docs, name: string): void {
  for (const [key, doc] of docs) {
    if (!key.startsWith(`${name}.`)) continue;
    let node: JsonSchema | undefined = schema;
    for (const part of key.slice(name.length + 1).split(".")) node = node?.properties?.[part];
    if (node) node.description = doc;
  }
}

/**
 * JSON Schema of every request schema, input side (what a client sends). Throws, naming the
 * schema, when one cannot be converted.
 */
export async function requestJsonSchemas(): Promise<Record<string, JsonSchema>> {
  const docs = await protocolDocs("protocol/matrix/requests.ts");
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    let json: JsonSchema;
    try {
      json = z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
    } catch (err) {
      throw new Error(`${name}: cannot be converted to JSON Schema: ${(err as Error).message}`, {
        cause: err,
      });
    }
    // A deep copy: zod may share nodes between places, and descriptions are per place.
    const { $schema: _, ...copy } = JSON.parse(JSON.stringify(json)) as JsonSchema;
    const doc = docs.get(name);
    describe(copy, docs, name);
    out[name] = doc ? { description: doc, ...copy } : copy;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A code span that survives any content, and a table cell that keeps its `|` inside. */
const code = (s: unknown) => {
  const text = String(s);
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${text}${fence.length > 1 ? " " : ""}${fence}`;
};
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Request schemas as tables

function isObject(s: JsonSchema): boolean {
  return s.type === "object" && s.properties !== undefined;
}

function isMap(s: JsonSchema): boolean {
  return s.type === "object" && s.properties === undefined;
}

/** `{}` (any JSON value) as a map's value type. */
const isAny = (s: JsonSchema | boolean | undefined) =>
  s === true || (typeof s === "object" && Object.keys(s).length === 0);

function typeOf(s: JsonSchema): string {
  const union = s.anyOf ?? s.oneOf;
  if (union) return [...new Set(union.map(typeOf))].join(" | ");
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  if (isMap(s)) {
    const values = s.additionalProperties;
    if (values === undefined || isAny(values)) return "object";
    return `map<string, ${typeof values === "object" ? typeOf(values) : "any"}>`;
  }
  return s.type ?? "any";
}

function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  const union = s.anyOf ?? s.oneOf;
  if (union) for (const u of union) out.push(...constraintsOf(u));
  if (s.const !== undefined) out.push(`exactly ${code(s.const)}`);
  if (s.enum) out.push(`one of ${s.enum.map(code).join(", ")}`);
  if (s.minLength !== undefined && s.maxLength !== undefined)
    out.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  else if (s.minLength !== undefined) out.push(`at least ${s.minLength} characters`);
  if (s.pattern !== undefined) out.push(`matches ${code(s.pattern)}`);
  if (s.format !== undefined) out.push(`format ${s.format}`);
  const max = s.maximum !== undefined && s.maximum < MAX_SAFE ? s.maximum : undefined;
  if (s.minimum !== undefined && max !== undefined) out.push(`${s.minimum}–${max}`);
  else if (max !== undefined) out.push(`at most ${max}`);
  else if (s.minimum !== undefined) out.push(`at least ${s.minimum}`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.type === "array" && s.items && !isObject(s.items)) {
    const items = constraintsOf(s.items);
    if (items.length) out.push(`each item: ${items.join(", ")}`);
  }
  // Keys of nested maps are labelled by depth: `keys`, then `inner keys`.
  for (let m: JsonSchema | undefined = s, label = "keys"; m && isMap(m); label = "inner keys") {
    const keys = m.propertyNames ? constraintsOf(m.propertyNames) : [];
    if (keys.length) out.push(`${label}: ${keys.join(", ")}`);
    m = typeof m.additionalProperties === "object" ? m.additionalProperties : undefined;
  }
  if (s.default !== undefined) out.push(`default ${code(JSON.stringify(s.default))}`);
  return out;
}

interface Row {
  field: string;
  type: string;
  required: boolean;
  constraints: string[];
  notes: string;
}

/**
 * The fields of an object schema as rows, nested objects flattened into `a.b` (array items into
 * `a[].b`). An object schema that occurs more than once is spelled out at its first place only;
 * later places refer to it. A union of objects that share a constant field (`type`) gets one row
 * for that field and rows for each variant's other fields, marked with the variant.
 */
function schemaRows(schema: JsonSchema): Row[] {
  const counts = new Map<string, number>();
  const count = (s: JsonSchema) => {
    if (isObject(s)) counts.set(JSON.stringify(s), (counts.get(JSON.stringify(s)) ?? 0) + 1);
    for (const child of [
      ...Object.values(s.properties ?? {}),
      ...(s.items ? [s.items] : []),
      ...(s.anyOf ?? []),
      ...(s.oneOf ?? []),
    ])
      count(child);
  };
  count(schema);
  const firstPlace = new Map<string, string>();
  const rows: Row[] = [];

  const fields = (s: JsonSchema, prefix: string, condition?: string) => {
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const field = `${prefix}${name}`;
      const variants = (prop.oneOf ?? prop.anyOf ?? []).filter(isObject);
      const notes = prop.description ?? "";
      const row: Row = {
        field,
        type: typeOf(prop),
        required: s.required?.includes(name) ?? false,
        constraints: [...(condition ? [condition] : []), ...constraintsOf(prop)],
        notes,
      };
      if (variants.length > 1) {
        row.type = "object";
        row.constraints = [...(condition ? [condition] : [])];
        rows.push(row);
        union(variants, `${field}.`, field);
        continue;
      }
      const object = isObject(prop)
        ? prop
        : prop.type === "array" && prop.items && isObject(prop.items)
          ? prop.items
          : undefined;
      if (!object) {
        rows.push(row);
        continue;
      }
      row.constraints = row.constraints.filter((c) => !c.startsWith("each item"));
      const key = JSON.stringify(object);
      const inner = object === prop ? `${field}.` : `${field}[].`;
      const seen = firstPlace.get(key);
      if (seen !== undefined) {
        row.constraints.push(`fields as in ${code(seen)}`);
        rows.push(row);
        continue;
      }
      if ((counts.get(key) ?? 0) > 1) firstPlace.set(key, field);
      rows.push(row);
      fields(object, inner);
    }
  };

  const union = (variants: JsonSchema[], prefix: string, field: string) => {
    const common = Object.keys(variants[0]!.properties ?? {}).filter((k) =>
      variants.every((v) => v.properties?.[k]?.const !== undefined && v.required?.includes(k)),
    );
    const tag = common[0];
    if (tag) {
      const values = variants.map((v) => v.properties![tag]!.const);
      rows.push({
        field: `${prefix}${tag}`,
        type: typeOf(variants[0]!.properties![tag]!),
        required: true,
        constraints: [`one of ${values.map(code).join(", ")}`],
        notes: `Selects the variant of ${code(field)}.`,
      });
    }
    variants.forEach((v, i) => {
      const rest: JsonSchema = {
        ...v,
        properties: Object.fromEntries(Object.entries(v.properties ?? {}).filter(([k]) => k !== tag)),
      };
      const condition = tag
        ? `when ${code(tag)} is ${code(v.properties![tag]!.const)}`
        : `in variant ${i + 1}`;
      fields(rest, prefix, condition);
    });
  };

  fields(schema, "");
  return rows;
}

function renderSchemaTable(schema: JsonSchema): string {
  const rows = schemaRows(schema);
  const withNotes = rows.some((r) => r.notes);
  const head = ["field", "type", "required", "constraints", ...(withNotes ? ["notes"] : [])];
  return table(
    head,
    rows.map((r) => [
      code(r.field),
      code(r.type),
      r.required ? "yes" : "no",
      r.constraints.join("; "),
      ...(withNotes ? [r.notes] : []),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Sections

/** Express path syntax in the spec's notation: `:id` → `{id}`, `{/:opt}` → `[/{opt}]`. */
export function displayPath(expressPath: string): string {
  return expressPath
    .replace(/\{(\/[^}]*)\}/g, "[$1]")
    .replace(/:(\w+)/g, "{$1}")
    .replace(/\*(\w+)/g, "{$1…}");
}

/** Every full path a route is served at, in the spec's notation. */
export function fullPaths(def: Pick<RouteDef<Auth>, "path" | "scope">): string[] {
  const paths = def.scope === "client" ? ClientPrefixes.map((p) => p + def.path) : [def.path];
  return paths.map(displayPath);
}

const authNames: Record<Auth, string> = {
  none: "none",
  optional: "optional",
  user: "user or guest",
  account: "user, not guest",
};

function endpointsSection(): string {
  return table(
    ["method", "path", "auth", "rate limit"],
    routes.map((r) => [
      r.method.toUpperCase(),
      fullPaths(r).map(code).join("<br>"),
      authNames[r.auth],
      r.limit ?? "default",
    ]),
  );
}

function errorsSection(): string {
  return table(
    ["errcode", "HTTP status", "meaning"],
    Object.entries(ErrorCodes).map(([errcode, e]) => [code(errcode), String(e.status), e.description]),
  );
}

function loginTypesSection(): string {
  return table(
    ["login type", "constant"],
    Object.entries(LoginType).map(([k, v]) => [code(v), code(`LoginType.${k}`)]),
  );
}

function identifiersSection(json: Record<string, JsonSchema>): string {
  const identifier = json.LoginRequest?.properties?.identifier;
  const variants = identifier?.oneOf ?? identifier?.anyOf ?? [];
  return table(
    ["identifier type", "constant", "fields"],
    Object.entries(IdentifierType).map(([k, v]) => {
      const variant = variants.find((s) => s.properties?.type?.const === v);
      if (!variant) throw new Error(`IdentifierType.${k} (${v}) is not a variant of LoginRequest.identifier`);
      const fields = Object.entries(variant.properties ?? {})
        .filter(([name]) => name !== "type")
        .map(([name, s]) => {
          const c = constraintsOf(s);
          return `${code(name)} (${[typeOf(s), ...c].join(", ")})`;
        });
      return [code(v), code(`IdentifierType.${k}`), fields.join("; ")];
    }),
  );
}

function uiaStagesSection(docs: Docs): string {
  return table(
    ["stage", "constant", "notes"],
    Object.entries(AuthStage).map(([k, v]) => [
      code(v),
      code(`AuthStage.${k}`),
      docs.get(`AuthStage.${k}`) ?? "",
    ]),
  );
}

function accountRulesSection(): string {
  return table(
    ["rule", "value"],
    Object.entries(AccountRules).map(([k, v]) => [
      code(`AccountRules.${k}`),
      v instanceof RegExp ? code(v.source) : code(v),
    ]),
  );
}

function eventTypesSection(): string {
  return table(
    ["event type", "constant", "counts as unread", "in `invite_state`"],
    Object.entries(EventType).map(([k, v]) => [
      code(v),
      code(`EventType.${k}`),
      NotifyingEventTypes.includes(v) ? "yes" : "",
      StrippedStateTypes.includes(v) ? "yes" : "",
    ]),
  );
}

function versionsSection(): string {
  return table(
    ["what", "value"],
    [
      ["Matrix client-server prefixes", ClientPrefixes.map(code).join(", ")],
      [
        "Matrix versions advertised by `GET /_matrix/client/versions`",
        SupportedVersions.map(code).join(", "),
      ],
      [
        "Room versions (default first)",
        [RoomVersions.default, ...RoomVersions.available.filter((v) => v !== RoomVersions.default)]
          .map(code)
          .join(", "),
      ],
    ],
  );
}

function schemasSection(json: Record<string, JsonSchema>): string {
  return Object.entries(json)
    .map(([name, s]) =>
      [`#### ${name}`, ...(s.description ? [s.description] : []), renderSchemaTable(s)].join("\n\n"),
    )
    .join("\n\n");
}

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
};

export const sectionNames = Object.keys(sections);

const MARKED = /<!-- generated:([a-z-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g;

/** Replaces every generated section of one Markdown file; throws on unknown or unclosed markers. */
function fillSections(file: string, text: string, inputs: Inputs): string {
  const opened = [...text.matchAll(/<!-- generated:([a-z-]+) -->/g)].map((m) => m[1]!);
  const filled = text.replace(MARKED, (_all, name: string) => {
    const section = sections[name];
    if (!section) throw new Error(`${file}: unknown generated section "${name}"`);
    return `<!-- generated:${name} -->\n\n${section(inputs)}\n\n<!-- /generated:${name} -->`;
  });
  const closed = [...text.matchAll(MARKED)].length;
  if (closed !== opened.length) throw new Error(`${file}: a <!-- generated:NAME --> marker is not closed`);
  return filled;
}

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
 * content. Markdown files are read from `spec/`, their generated sections filled in and the
 * result formatted with the repository's Prettier settings.
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
  for (const full of await markdownFiles(specDir)) {
    const relative = path.relative(root, full).split(path.sep).join("/");
    const text = fillSections(relative, await readFile(full, "utf8"), inputs);
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
