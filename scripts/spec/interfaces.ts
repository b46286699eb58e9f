/**
 * The exported interfaces of a protocol source, read with the TypeScript parser: the response
 * views (`CallView`, `InboxView`, …) are TypeScript interfaces rather than zod schemas, and their
 * fields, types and TSDoc become the spec's view tables instead of being written a second time.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { root } from "./paths.js";

/** One field of an interface; fields of inline object types are flattened to `a.b`. */
export interface InterfaceField {
  name: string;
  /** The type as written in the source, whitespace collapsed. */
  type: string;
  optional: boolean;
  doc?: string;
}

/** Every field of an inline object type, and of the object types nested in it. */
function fieldsOf(members: ts.NodeArray<ts.TypeElement>, prefix: string, source: ts.SourceFile) {
  const out: InterfaceField[] = [];
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    if (!ts.isIdentifier(m.name) && !ts.isStringLiteral(m.name)) continue;
    const name = prefix + m.name.text;
    const jsDoc = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc).at(-1);
    const doc = jsDoc && ts.getTextOfJSDocComment(jsDoc.comment)?.replace(/\s+/g, " ").trim();
    const nested = ts.isTypeLiteralNode(m.type) ? m.type : undefined;
    out.push({
      name,
      type: nested ? "object" : m.type.getText(source).replace(/\s+/g, " "),
      optional: m.questionToken !== undefined,
      ...(doc ? { doc } : {}),
    });
    if (nested) out.push(...fieldsOf(nested.members, `${name}.`, source));
  }
  return out;
}

/**
 * The exported interfaces of one file of the repository (repository-relative path), in source
 * order, each with its TSDoc and its fields.
 */
export async function protocolInterfaces(
  relative: string,
): Promise<Map<string, { doc?: string; fields: InterfaceField[] }>> {
  const text = await readFile(path.join(root, relative), "utf8");
  const source = ts.createSourceFile(relative, text, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, { doc?: string; fields: InterfaceField[] }>();
  for (const s of source.statements) {
    if (!ts.isInterfaceDeclaration(s)) continue;
    if (!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const jsDoc = ts.getJSDocCommentsAndTags(s).filter(ts.isJSDoc).at(-1);
    const doc = jsDoc && ts.getTextOfJSDocComment(jsDoc.comment)?.replace(/\s+/g, " ").trim();
    out.set(s.name.text, { ...(doc ? { doc } : {}), fields: fieldsOf(s.members, "", source) });
  }
  return out;
}
