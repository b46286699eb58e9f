// The specification in spec/ against the protocol it documents: the generated sections equal
// what scripts/gen-spec.ts renders from protocol/ and the route table now, every endpoint is in
// exactly one document, every error code is in the client API document and every error the calls
// code raises in the calls document, the hand-written triggers of the call transitions agree with
// the code, and every relative link resolves.
import { mediaSchemas } from "../protocol/callsign/media.js";
import { CallTimers } from "../server/src/services/calls/call-timers.js";
import { deliverySchemas } from "../protocol/federation/delivery.js";
import { FederationCallSchemas } from "../protocol/federation/calls.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { z } from "zod";
import type { CallStateValue } from "../protocol/callsign/calls.js";
import { CallsignRoutes } from "../protocol/callsign/routes.js";
import { ErrorCodes } from "../protocol/errors.js";
import { schemas } from "../protocol/matrix/requests.js";
import { familySchemas } from "../scripts/spec/json-schema.js";
import {
  callLinkPaths,
  fullPaths,
  isCallsRoute,
  renderSpec,
  root,
  sectionNames,
} from "../scripts/gen-spec.js";
import { Triggers, type Actor, type Trigger } from "../scripts/spec/calls-notes.js";
import { routes } from "../server/src/api/index.js";
import type { AppContext } from "../server/src/context.js";
import type { Auth, RouteDef } from "../server/src/http/route.js";
import { defineCallJobs } from "../server/src/jobs/handlers/calls.js";
import { CallService } from "../server/src/services/calls/call-service.js";

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

  /** The methods a table row of `file` lists for `fullPath` (first column of matching rows). */
  const methodsIn = (file: string, fullPath: string) =>
    read(file)
      .split("\n")
      .filter((line) => line.startsWith("|") && line.includes(`\`${fullPath}\``))
      .map((line) => line.split("|")[1]!.trim());

  it("lists every served route and call link, at every full path, in some document", function () {
    const docs = [...rendered.keys()].filter((f) => f.startsWith("spec/") && f.endsWith(".md"));
    const served = [
      ...routes.map((def) => ({ method: def.method.toUpperCase(), paths: fullPaths(def) })),
      { method: "GET", paths: callLinkPaths },
    ];
    for (const { method, paths } of served) {
      for (const p of paths) {
        const listed = docs.some((doc) => methodsIn(doc, p).includes(method));
        expect(listed, `${method} ${p} is in no document of spec/`).to.equal(true);
      }
    }
  });

  it("splits the routes: Matrix in client-api.md, extension and presence in calls.md", function () {
    for (const def of routes) {
      const [home, other] = isCallsRoute(def)
        ? ["spec/calls.md", "spec/client-api.md"]
        : ["spec/client-api.md", "spec/calls.md"];
      for (const p of fullPaths(def)) {
        const method = def.method.toUpperCase();
        expect(methodsIn(home, p), `${method} ${p} in ${home}`).to.include(method);
        expect(methodsIn(other, p), `${method} ${p} also in ${other}`).not.to.include(method);
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

  it("lists every error the calls code raises in calls.md", function () {
    const doc = read("spec/calls.md");
    const sources = [
      ...["server/src/services/calls", "server/src/api/callsign"].flatMap((dir) =>
        readdirSync(path.join(root, dir))
          .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
          .map((f) => `${dir}/${f}`),
      ),
      "server/src/http/call-links.ts",
      "server/src/api/matrix/presence.ts",
    ];
    for (const file of sources) {
      for (const [, errcode] of read(file).matchAll(/ProtocolError\(\s*"([A-Z_]+)"/g)) {
        const status = ErrorCodes[errcode as keyof typeof ErrorCodes].status;
        expect(doc, `${errcode} (raised in ${file}) is not in the errors of spec/calls.md`).to.match(
          new RegExp(`^\\|\\s*\`${errcode}\`\\s*\\|\\s*${status}\\s*\\|`, "m"),
        );
      }
    }
  });

  it("documents every request schema, and each converts to JSON Schema without loss", function () {
    const json = JSON.parse(read("spec/generated/schemas.json")) as { $defs: Record<string, unknown> };
    const families = [
      ["spec/client-api.md", schemas],
      ["spec/calls.md", familySchemas("callsign")],
      ["spec/federation-delivery.md", deliverySchemas],
      ["spec/federation.md", FederationCallSchemas],
      ["spec/media.md", mediaSchemas],
    ] as const;
    for (const [file, family] of families) {
      const doc = read(file);
      for (const [name, schema] of Object.entries(family)) {
        expect(doc, `${name} has no section in ${file}`).to.include(`#### ${name}`);
        expect(json.$defs, "spec/generated/schemas.json").to.have.property(name);
        // `unrepresentable: "any"` (used by the generator) would quietly turn a type JSON Schema
        // cannot express into "anything"; "throw" makes such a schema fail here instead.
        expect(
          () => z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "throw" }),
          name,
        ).not.to.throw();
      }
    }
  });

  it("names, for every call transition, the party and the state the code asks for", async function () {
    for (const [from, tos] of Object.entries(Triggers)) {
      for (const [to, triggers] of Object.entries(tos ?? {})) {
        for (const t of triggers ?? []) {
          const asked = await askedBy(t, from as CallStateValue);
          const where = `${from} → ${to} by ${t.by}`;
          expect(asked, `${where}: the code asks for no change`).not.to.equal(undefined);
          expect(asked!.role, where).to.equal(roles[t.by]);
          expect(asked!.to, where).to.equal(t.requests ?? to);
        }
      }
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

const roles: Record<Actor, string | undefined> = {
  caller: "caller",
  callee: "callee",
  "either party": "either",
  "time-out job": "system",
};

/**
 * What the code asks the state machine for when a trigger happens: the trigger's route handler
 * (or job handler) runs against a real `CallService` whose state machine only records the change
 * asked for, and whose reads answer a call in state `from`.
 */
async function askedBy(t: Trigger, from: CallStateValue): Promise<{ role: string; to: string } | undefined> {
  let asked: { role: string; to: string } | undefined;
  const sql = { query: async () => [{ call_id: "c", state: from, queue_seq: "1", hops: 0 }] };
  const writer = { read: (work: (s: typeof sql) => Promise<unknown>) => work(sql) };
  // The real CallService over a state machine that only records the change asked for.
  const machine = {
    writer,
    desk: { terms: async () => undefined, assertTakingCalls: async () => undefined },
    change: async (_r: unknown, _id: string, c: { role: string; to: string }) => {
      asked = c;
      return { call_id: "c", callee: { user_id: "@callee:test" }, hops: [], limit_s: null };
    },
    startMaxDuration: async () => undefined,
  };
  const calls = new CallService(
    ...([machine, undefined, undefined, undefined] as unknown as ConstructorParameters<typeof CallService>),
  );
  const callTimers = new CallTimers(
    ...([machine, undefined] as unknown as ConstructorParameters<typeof CallTimers>),
  );
  const ctx = { calls, callTimers } as unknown as AppContext;
  if (t.route) {
    const def = routes.find(
      (r) => r.scope === "callsign" && r.method === "post" && r.path === CallsignRoutes[t.route!],
    ) as RouteDef<Auth>;
    await def.handler(
      {
        body: { text: "t", reason: "r" },
        query: {},
        params: { callId: "c" },
        ip: "127.0.0.1",
        requester: { userId: "@100000001:test", deviceId: "D", isGuest: false },
        origin: undefined,
        raw: undefined as never,
      },
      ctx,
    );
  }
  if (t.job) {
    const handlers = new Map<string, (data: unknown) => Promise<void>>();
    defineCallJobs({ ...ctx, jobs: { define: (n: string, h: never) => handlers.set(n, h) } } as never);
    expect(handlers.has(t.job.name), `job ${t.job.name} is defined`).to.equal(true);
    await handlers.get(t.job.name)!({ callId: "c" });
  }
  return asked;
}
