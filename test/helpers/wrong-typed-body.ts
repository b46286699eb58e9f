/** Request bodies that every route must refuse or ignore, derived from the protocol's schemas. */
import { z } from "zod";
import { schemas } from "../../protocol/matrix/requests.js";

/** Every field of every body schema, set to a value that field's own schema rejects. */
export function wrongTypedBody(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const candidates: unknown[] = [12345, "wrong", true, ["wrong"], { wrong: true }];
  for (const [name, schema] of Object.entries(schemas)) {
    if (name.endsWith("Query") || !(schema instanceof z.ZodObject)) continue;
    for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      if (field in out) continue;
      const wrong = candidates.find((v) => !fieldSchema.safeParse(v).success);
      if (wrong !== undefined) out[field] = wrong;
    }
  }
  return out;
}
