import { expect } from "chai";
import type { IncomingHttpHeaders } from "node:http";
import { longPollMatcher } from "./lean-route.js";
import { route, type Auth, type RouteDef } from "./route.js";

const sync = route({
  method: "get",
  path: "/sync",
  scope: "client",
  auth: "user",
  longPoll: true,
  handler: () => ({}),
});
const whoami = route({
  method: "get",
  path: "/account/whoami",
  scope: "client",
  auth: "user",
  handler: () => ({}),
});
const match = longPollMatcher([sync, whoami] as RouteDef<Auth>[]);
const req = (url: string, headers: IncomingHttpHeaders = {}, method = "GET") => ({ method, url, headers });

describe("longPollMatcher", () => {
  it("takes GETs of a long-poll route at each client prefix, with their query", () => {
    expect(match(req("/_matrix/client/v3/sync?since=s5&timeout=30000"))).to.deep.include({
      def: sync,
      path: "/_matrix/client/v3/sync",
      search: "since=s5&timeout=30000",
    });
    expect(match(req("/_matrix/client/r0/sync"))).to.deep.include({
      path: "/_matrix/client/r0/sync",
      search: "",
    });
    expect(match(req("/_matrix/client/v3/sync?"))?.search).to.equal("");
  });

  it("leaves to express what only express answers exactly so", () => {
    const left = [
      req("/_matrix/client/v3/sync", {}, "HEAD"),
      req("/_matrix/client/v3/sync", {}, "OPTIONS"),
      req("/_matrix/client/v3/sync", {}, "POST"),
      req("/_matrix/client/v3/sync/"),
      req("/_matrix/client/v3/SYNC"),
      req("/_matrix/client/v3/%73ync"),
      req("http://localhost/_matrix/client/v3/sync"),
      req("/_matrix/client/v3/sync?since=s1#frag"),
      req("/_matrix/client/v3/sync?a=b c"),
      req("/_matrix/client/v3/sync", { "content-length": "2" }),
      req("/_matrix/client/v3/sync", { "transfer-encoding": "chunked" }),
      req("/_matrix/client/v3/sync", { "if-none-match": 'W/"2-abc"' }),
      req("/_matrix/client/v3/sync", { "if-modified-since": "Sat, 21 Nov 2026 10:00:00 GMT" }),
      req("/_matrix/client/v3/account/whoami"),
      req("/_matrix/client/v3/syncx"),
    ];
    for (const r of left)
      expect(match(r), `${r.method} ${r.url} ${JSON.stringify(r.headers)}`).to.equal(undefined);
  });

  it("refuses long-poll routes it could not serve as express does", () => {
    const bad = [
      { ...sync, method: "post" as const },
      { ...sync, path: "/rooms/:roomId/sync" },
      { ...sync, auth: "server" as const },
    ];
    for (const def of bad) expect(() => longPollMatcher([def as RouteDef<Auth>])).to.throw(/long-poll route/);
  });
});
