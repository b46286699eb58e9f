/**
 * `/sync` is served on node:http ahead of express (server/src/http/lean-route.ts), and must answer
 * as express does. Express still serves the same route at the spellings the lean path leaves to
 * it (here a trailing slash), so every case is asked both ways and the answers compared: status,
 * header names in their order, every header value but the request ID and the date, and the body
 * byte for byte.
 */
import { expect } from "chai";
import http from "node:http";
import { ClientPrefixes } from "../protocol/matrix/routes.js";
import { api, CS } from "./helpers/api.js";
import { TestNetwork } from "./helpers/test-network.js";

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request, so the two answers' Connection headers compare.
    http
      .get(baseUrl + path, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = res.rawHeaders;
          const pairs: [string, string][] = [];
          for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
          resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks).toString() });
        });
      })
      .on("error", reject);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const header = (a: Answer, name: string) => a.headers.find(([k]) => k.toLowerCase() === name)?.[1];
const comparable = (a: Answer) => ({
  status: a.status,
  names: a.headers.map(([k]) => k),
  headers: a.headers.filter(([k]) => !["date", "x-request-id"].includes(k.toLowerCase())),
  body: a.body,
});

/** The same request on the lean path and on express; both answers, to compare. */
async function bothWays(baseUrl: string, prefix: string, query: string, headers: Record<string, string>) {
  const lean = await get(baseUrl, `${prefix}/sync${query}`, headers);
  const viaExpress = await get(baseUrl, `${prefix}/sync/${query}`, headers);
  return { lean, viaExpress };
}

describe("the long-poll path (/sync without express)", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let token: string;

  before(async () => {
    net = await TestNetwork.start();
    // A second process with a tight limit: two requests, then 429.
    await net.addServer({ CALLSIGN_RATE_LIMIT_PER_S: "1", CALLSIGN_RATE_LIMIT_BURST: "2" });
    token = (
      await api<{ access_token: string }>(net.servers[0]!.baseUrl, "POST", `${CS}/register?kind=guest`)
    ).body.access_token;
  });
  after(() => net?.close());

  it("answers every case as express does: bodies, errors, statuses and headers", async () => {
    const base = net.servers[0]!.baseUrl;
    const auth = { authorization: `Bearer ${token}` };
    const since = (JSON.parse((await get(base, `${CS}/sync?timeout=0`, auth)).body) as { next_batch: string })
      .next_batch;
    const cases: [string, string, Record<string, string>][] = [
      ["an initial sync", "?timeout=0", auth],
      ["a long-poll that times out", `?since=${since}&timeout=300`, auth],
      [
        "an inline filter",
        `?since=${since}&timeout=0&filter=${encodeURIComponent('{"room":{"rooms":[]}}')}`,
        auth,
      ],
      ["the token in the query", `?timeout=0&access_token=${token}`, {}],
      ["no token", "", {}],
      ["an unknown token", "", { authorization: "Bearer nope" }],
      ["the token twice in the query", `?access_token=${token}&access_token=${token}`, {}],
      ["a bad since", "?since=garbage", auth],
      ["a repeated timeout", "?timeout=1&timeout=2", auth],
      ["an unknown filter", "?filter=999999", auth],
      ["a broken inline filter", "?filter={bad", auth],
      ["a bad set_presence", "?set_presence=bogus", auth],
    ];
    for (const prefix of ClientPrefixes) {
      for (const [label, query, headers] of cases) {
        const { lean, viaExpress } = await bothWays(base, prefix, query, headers);
        expect(comparable(lean), `${prefix} ${label}`).to.deep.equal(comparable(viaExpress));
        expect(header(lean, "x-request-id"), label).to.match(UUID);
        expect(header(lean, "x-request-id")).not.to.equal(header(viaExpress, "x-request-id"));
      }
    }
  });

  it("counts its requests in the same metrics", async () => {
    const base = net.servers[0]!.baseUrl;
    const count = async (series: string) => {
      const text = (await get(base, "/metrics")).body;
      return Number(
        text
          .split("\n")
          .find((l) => l.startsWith(series + " "))
          ?.split(" ")[1] ?? 0,
      );
    };
    const ok = 'callsign_http_requests_total{method="get",route="/sync",status="200"}';
    const refused = 'callsign_http_requests_total{method="get",route="/sync",status="401"}';
    const timed = 'callsign_http_request_duration_seconds_count{method="get",route="/sync"}';
    const before = [await count(ok), await count(refused), await count(timed)];
    await get(base, `${CS}/sync?timeout=0`, { authorization: `Bearer ${token}` });
    await get(base, `${CS}/sync?timeout=0`);
    expect([await count(ok), await count(refused), await count(timed)]).to.deep.equal([
      before[0]! + 1,
      before[1]! + 1,
      before[2]! + 2,
    ]);
  });

  it("answers a rate limit as express does, with Retry-After", async () => {
    const limited = net.servers[1]!.baseUrl;
    const auth = { authorization: `Bearer ${token}` };
    const answers = [];
    // The user's bucket holds two: the third request of each pair of paths is refused.
    for (const path of [`${CS}/sync?timeout=0`, `${CS}/sync/?timeout=0`]) {
      await new Promise((r) => setTimeout(r, 2100)); // the bucket full again
      for (let i = 0; i < 3; i++) answers.push(await get(limited, path, auth));
    }
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 429, 200, 200, 429]);
    const [lean, viaExpress] = [answers[2]!, answers[5]!];
    expect(lean.headers.map(([k]) => k)).to.deep.equal(viaExpress.headers.map(([k]) => k));
    expect(header(lean, "retry-after")).to.equal(header(viaExpress, "retry-after"));
    expect(JSON.parse(lean.body)).to.include({ errcode: "M_LIMIT_EXCEEDED", error: "Too many requests" });
    expect(JSON.parse(viaExpress.body)).to.include({ errcode: "M_LIMIT_EXCEEDED" });
  });
});
