// The specification in spec/ against the protocol it documents: the generated sections equal
// what scripts/gen-spec.ts renders from protocol/ and the route table now, every endpoint and
// error code is in the client API document, and every relative link resolves.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { z } from "zod";
import { ErrorCodes } from "../protocol/errors.js";
import { schemas } from "../protocol/matrix/requests.js";
import { fullPaths, renderSpec, root, sectionNames } from "../scripts/gen-spec.js";
import { routes } from "../server/src/api/index.js";

const read = (relative: string) => readFileSync(path.join(root, relative), "utf8");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets of a Markdown file (inline links; external URLs left out). */
function relativeLinks(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe("protocol specification (spec/)", function () {
  let rendered: Map<string, string>;

  before(async function () {
    rendered = await renderSpec();
  });

  it("is what `npm run spec:gen` generates from protocol/ and the route table", function () {
    const stale = [...rendered].filter(([file, content]) => {
      const full = path.join(root, file);
      return !existsSync(full) || readFileSync(full, "utf8") !== content;
    });
    expect(
      stale.map(([file]) => file),
      "spec files out of date with protocol/ or the routes (or not formatted): run `npm run spec:gen` " +
        "and commit the result",
    ).to.deep.equal([]);
  });

  it("has every generated section it defines in some document", function () {
    const all = [...rendered.values()].join("\n");
    for (const name of sectionNames) {
      expect(all, `no <!-- generated:${name} --> section in spec/`).to.include(`<!-- generated:${name} -->`);
    }
  });

  it("lists every served route, at every full path, in client-api.md", function () {
    const doc = read("spec/client-api.md");
    for (const def of routes) {
      for (const p of fullPaths(def)) {
        const methods = doc
          .split("\n")
          .filter((line) => line.startsWith("|") && line.includes(`\`${p}\``))
          .map((line) => line.split("|")[1]!.trim());
        expect(methods, `${def.method.toUpperCase()} ${p} is not in spec/client-api.md`).to.include(
          def.method.toUpperCase(),
        );
      }
    }
  });

  it("lists every error code in client-api.md", function () {
    const doc = read("spec/client-api.md");
    for (const [errcode, { status }] of Object.entries(ErrorCodes)) {
      expect(doc, `${errcode} is not in spec/client-api.md`).to.match(
        new RegExp(`^\\|\\s*\`${errcode}\`\\s*\\|\\s*${status}\\s*\\|`, "m"),
      );
    }
  });

  it("documents every request schema, and each converts to JSON Schema without loss", function () {
    const doc = read("spec/client-api.md");
    const json = JSON.parse(read("spec/generated/schemas.json")) as { $defs: Record<string, unknown> };
    for (const [name, schema] of Object.entries(schemas)) {
      expect(doc, `${name} has no section in spec/client-api.md`).to.include(`#### ${name}`);
      expect(json.$defs, "spec/generated/schemas.json").to.have.property(name);
      // `unrepresentable: "any"` (used by the generator) would quietly turn a type JSON Schema
      // cannot express into "anything"; "throw" makes such a schema fail here instead.
      expect(() => z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }), name).not.to.throw();
    }
  });

  it("links only to files and headings that exist", function () {
    const index = read("spec/README.md");
    expect(relativeLinks(index), "links in spec/README.md").not.to.be.empty;
    for (const file of [...rendered.keys()].filter((f) => f.endsWith(".md"))) {
      const text = read(file);
      for (const link of relativeLinks(text)) {
        const [target, anchor] = link.split("#") as [string, string | undefined];
        const resolved = target ? path.join(path.dirname(file), target) : file;
        expect(existsSync(path.join(root, resolved)), `${file} links to missing ${resolved}`).to.equal(true);
        if (anchor && resolved.endsWith(".md")) {
          expect(
            [...anchors(read(resolved))],
            `${file} links to missing #${anchor} in ${resolved}`,
          ).to.include(anchor);
        }
      }
    }
  });
});
