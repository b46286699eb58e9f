/**
 * The TSDoc of the protocol sources, read with the TypeScript parser, so that the comments on
 * the schemas in `protocol/` become the descriptions in the generated spec instead of being
 * written a second time.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { root } from "./paths.js";

/** Comments by dotted key: `Const` or `Const.field.subfield`. */
export type Docs = Map<string, string>;

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

/** The TSDoc of one file of the repository, by its repository-relative path. */
export async function protocolDocs(relative: string): Promise<Docs> {
  return tsDocs(relative, await readFile(path.join(root, relative), "utf8"));
}
