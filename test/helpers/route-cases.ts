/**
 * Generated request cases and their verdicts: each case says what a bad request must be answered
 * with, every answer is checked for the Matrix error shape and for CORS, and all violations are
 * collected and reported together, grouped by what went wrong, so that one failure does not hide
 * the next.
 */
import { expect } from "chai";
import { ClientPrefixes } from "../../protocol/matrix/routes.js";
import { inBatches, type RawRequest, type RawResponse } from "./http.js";

/** How many cases are in flight at once. */
const BATCH = 20;

export interface Expectation {
  /** An exact status, or any 4xx. */
  status?: number | "4xx";
  errcode?: string;
  /** A 2xx is acceptable too (the input is odd but legal); a 5xx never is. */
  allow2xx?: boolean;
}

export interface Case {
  route: string;
  label: string;
  req: RawRequest;
  expect: Expectation;
  /** Sends with a fresh session of a throwaway user instead of `req.token`. */
  disposableSession?: boolean;
}

/** One line, control characters escaped, long text cut with its length noted. */
export const preview = (s: string, n: number) => {
  const flat = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"');
  return flat.length > n ? `${flat.slice(0, n)}… (${s.length} chars)` : flat;
};

export interface Violation {
  c: Case;
  got: string;
  problems: string;
}

/** What is wrong with the answer to a case, or `undefined` when nothing is. */
export function verdict(c: Case, res: RawResponse | Error): Violation | undefined {
  const problems: string[] = [];
  let got: string;
  if (res instanceof Error) {
    problems.push(`request failed: ${res.message}`);
    got = "no response";
  } else {
    const type = res.headers.get("content-type") ?? "(no content-type)";
    got = `${res.status} ${type} ${preview(res.text, 200)}`;
    if (res.headers.get("access-control-allow-origin") !== "*")
      problems.push("no Access-Control-Allow-Origin: *");
    const ok2xx = c.expect.allow2xx && res.status >= 200 && res.status < 300;
    if (!ok2xx) {
      const want = c.expect.status ?? "4xx";
      if (want === "4xx" ? res.status < 400 || res.status > 499 : res.status !== want)
        problems.push(`status ${res.status}, want ${want}${c.expect.allow2xx ? " or 2xx" : ""}`);
      if (!/^application\/json\b/.test(type)) problems.push(`content-type ${type}`);
      const body = res.json as { errcode?: unknown; error?: unknown } | undefined;
      if (typeof body !== "object" || body === null || Array.isArray(body))
        problems.push("body is not a JSON object");
      else {
        if (typeof body.errcode !== "string") problems.push("no string errcode");
        else if (c.expect.errcode && body.errcode !== c.expect.errcode)
          problems.push(`errcode ${body.errcode}, want ${c.expect.errcode}`);
        if (typeof body.error !== "string") problems.push("no string error");
      }
    }
  }
  return problems.length ? { c, got, problems: problems.join("; ") } : undefined;
}

/**
 * Sends every case and judges each answer: the cases that use their own `req.token` `BATCH` at a
 * time, then the `disposableSession` ones one at a time, each with a token from `freshToken`
 * (a case on /logout/all ends every session of its user).
 */
export async function runCases(
  cases: Case[],
  http: (req: RawRequest) => Promise<RawResponse>,
  freshToken: () => Promise<string>,
): Promise<(Violation | undefined)[]> {
  const send = (c: Case) =>
    http(c.req).then(
      (res) => verdict(c, res),
      (err: Error) => verdict(c, err),
    );
  const verdicts = await inBatches(
    cases.filter((c) => !c.disposableSession),
    BATCH,
    send,
  );
  // One at a time: /logout/all ends every session of the throwaway user.
  for (const c of cases.filter((c) => c.disposableSession)) {
    const token = await freshToken();
    verdicts.push(await send({ ...c, req: { ...c.req, token } }));
  }
  return verdicts;
}

const describeRequest = (c: Case) => {
  const r = c.req;
  const auth = c.disposableSession ? " [fresh session]" : r.token ? " [token]" : "";
  const extra = r.headers ? ` ${JSON.stringify(r.headers)}` : "";
  const body = r.body === undefined ? "" : ` body ${preview(r.body, 80)}`;
  return `${r.method} ${preview(r.path, 160)}${auth}${extra}${body}`;
};

/**
 * Fails with every violation, grouped by what went wrong: one example request and answer per
 * group, then the routes it happened on (client routes without their prefix).
 */
export function assertNoViolations(cases: Case[], verdicts: (Violation | undefined)[]) {
  const found = verdicts.filter((v): v is Violation => v !== undefined);
  if (!found.length) return;
  const groups = new Map<string, Violation[]>();
  for (const v of found) {
    const key = `${v.problems} — ${v.c.label}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const unprefixed = (route: string) => ClientPrefixes.reduce((r, p) => r.replace(` ${p}/`, " /"), route);
  const text = [...groups].map(([key, vs]) => {
    const routesHit = [...new Set(vs.map((v) => unprefixed(v.c.route)))];
    return [
      `✗ ${key} (${vs.length} request${vs.length > 1 ? "s" : ""})`,
      `    e.g. ${describeRequest(vs[0]!.c)}`,
      `      → ${vs[0]!.got}`,
      `    on: ${routesHit.join(", ")}`,
    ].join("\n");
  });
  expect.fail(
    `${found.length} of ${cases.length} requests misbehaved, in ${groups.size} groups:\n\n${text.join("\n\n")}\n`,
  );
}

/** Runs every check and fails once with all that failed, so one loss does not hide the next. */
export async function allOf(title: string, checks: [what: string, check: () => Promise<unknown>][]) {
  const failed: string[] = [];
  for (const [what, check] of checks) {
    try {
      await check();
    } catch (err) {
      failed.push(`${what}: ${(err as Error).message}`);
    }
  }
  if (failed.length) expect.fail(`${title} (${failed.length}):\n  ${failed.join("\n  ")}\n`);
}
