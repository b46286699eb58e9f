/**
 * Request schemas as Markdown tables: one row per field (nested objects flattened, repeated
 * objects referred to, tagged unions split by their tag), with its type, whether it is required,
 * its constraints in words and its TSDoc.
 */
import type { JsonSchema } from "./json-schema.js";
import { code, table } from "./markdown.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function isObject(s: JsonSchema): boolean {
  return s.type === "object" && s.properties !== undefined;
}

function isMap(s: JsonSchema): boolean {
  return s.type === "object" && s.properties === undefined;
}

/** `{}` (any JSON value) as a map's value type. */
const isAny = (s: JsonSchema | boolean | undefined) =>
  s === true || (typeof s === "object" && Object.keys(s).length === 0);

/** A schema's type as the tables spell it: `string`, `integer[]`, `map<string, string>`, `a | b`. */
export function typeOf(s: JsonSchema): string {
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

/**
 * A schema's constraints in words (`1–255 characters`, `matches …`, `default …`), including
 * those of union members, of array items that are not objects and of map keys.
 */
export function constraintsOf(s: JsonSchema): string[] {
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
  if (s.exclusiveMinimum !== undefined) out.push(`greater than ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`less than ${s.exclusiveMaximum}`);
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

/** The table of one request schema; with a notes column when some field has TSDoc. */
export function renderSchemaTable(schema: JsonSchema): string {
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
