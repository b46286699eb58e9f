/**
 * JSON Schema (draft 2020-12) of the protocol's request schemas, converted by zod from the
 * protocol files that define them and annotated with their TSDoc as `description`s: the
 * content of `spec/generated/schemas.json` and the input of the schema tables.
 */
import { z } from "zod";
import { billingSchemas } from "../../protocol/callsign/billing.js";
import { customersSchemas } from "../../protocol/callsign/customers.js";
import { domainsSchemas } from "../../protocol/callsign/domains.js";
import { namesSchemas } from "../../protocol/callsign/names.js";
import { callsignSchemas } from "../../protocol/callsign/requests.js";
import { servicesSchemas } from "../../protocol/callsign/services.js";
import { widgetsSchemas } from "../../protocol/callsign/widgets.js";
import { mediaSchemas } from "../../protocol/callsign/media.js";
import { sipSchemas } from "../../protocol/callsign/sip.js";
import { deliverySchemas } from "../../protocol/federation/delivery.js";
import { FederationCallSchemas } from "../../protocol/federation/calls.js";
import { schemas } from "../../protocol/matrix/requests.js";
import { protocolDocs, type Docs } from "./tsdoc.js";

/** The request schemas of each API family, by the source files that define them. */
export const schemaSources = {
  matrix: [{ file: "protocol/matrix/requests.ts", schemas }],
  callsign: [
    { file: "protocol/callsign/requests.ts", schemas: callsignSchemas },
    { file: "protocol/callsign/names.ts", schemas: namesSchemas },
    { file: "protocol/callsign/domains.ts", schemas: domainsSchemas },
    { file: "protocol/callsign/customers.ts", schemas: customersSchemas },
    { file: "protocol/callsign/services.ts", schemas: servicesSchemas },
    { file: "protocol/callsign/billing.ts", schemas: billingSchemas },
    { file: "protocol/callsign/widgets.ts", schemas: widgetsSchemas },
    { file: "protocol/callsign/sip.ts", schemas: sipSchemas },
  ],
  media: [{ file: "protocol/callsign/media.ts", schemas: mediaSchemas }],
  federation: [
    { file: "protocol/federation/delivery.ts", schemas: deliverySchemas },
    { file: "protocol/federation/calls.ts", schemas: FederationCallSchemas },
  ],
} as const;

/** Every request schema of a family, by name. */
export const familySchemas = (family: SchemaFamily): Record<string, unknown> =>
  Object.assign({}, ...schemaSources[family].map((s) => s.schemas));

export type SchemaFamily = keyof typeof schemaSources;

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
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
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
 * JSON Schema of every request schema of one API family (default: the Matrix subset), input
 * side (what a client sends). Throws, naming the schema, when one cannot be converted.
 */
export async function requestJsonSchemas(
  family: SchemaFamily = "matrix",
): Promise<Record<string, JsonSchema>> {
  const out: Record<string, JsonSchema> = {};
  for (const { file, schemas: fileSchemas } of schemaSources[family]) {
    const docs = await protocolDocs(file);
    Object.assign(out, convert(fileSchemas, docs));
  }
  return out;
}

function convert(fileSchemas: Record<string, unknown>, docs: Docs): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(fileSchemas)) {
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
