/**
 * Bad input on every route answers a 4xx `{errcode, error}` — never a 500, never a bare HTML
 * page — and loses nothing. The cases are generated from the route table (`routes`), so a route
 * is covered the day it is added: missing and unknown tokens, bodies that are not JSON objects,
 * wrong field types (derived from the protocol schemas), oversized bodies, wrong methods, unknown
 * paths, odd path parameters and bad query values. Every response is checked for the Matrix error
 * shape and for CORS; all violations are collected and reported together. Afterwards the user
 * who took the barrage still has their rooms, messages, profile and a working session.
 *
 * The machinery is in `helpers/`: the route table as request paths (`route-patterns.ts`), cases,
 * verdicts and reports (`route-cases.ts`), wrong-typed bodies (`wrong-typed-body.ts`) and Alice's
 * world with its path parameter values (`input-fixture.ts`).
 */
import { expect } from "chai";
import { CallsignRoutes } from "../protocol/callsign/routes.js";
import { ClientPrefixes, ClientRoutes } from "../protocol/matrix/routes.js";
import type { RawRequest, RawResponse } from "./helpers/http.js";
import { InputFixture } from "./helpers/input-fixture.js";
import { allOf, assertNoViolations, type Case, type Expectation } from "./helpers/route-cases.js";
import { fill, hasBody, methodsServing, mounts, paramNames, routeName } from "./helpers/route-patterns.js";
import { wrongTypedBody } from "./helpers/wrong-typed-body.js";

const V3 = ClientPrefixes[0];
const MAX_BODY = 65536;
const enc = encodeURIComponent;

/** Routes that end the caller's session: every case that reaches them gets a throwaway session. */
const sessionEnding = new Set<string>([ClientRoutes.logout, ClientRoutes.logoutAll]);
const NULL_BODY = "body JSON null";

describe("bad input on every route", function () {
  this.timeout(60_000);
  /** The network, the users and what Alice owns before the barrage (all of which must survive). */
  let fx: InputFixture;

  before(async () => {
    fx = await InputFixture.start();
  });

  after(async () => {
    await fx?.close();
  });

  it("answers 401 to missing and unknown tokens, 403 to guests on account routes", async () => {
    const cases: Case[] = [];
    for (const m of mounts) {
      if (m.def.auth === "none") continue;
      const path = fill(m.pattern, fx.nopeParam);
      const base = { method: m.method, path, body: hasBody(m.method) ? "{}" : undefined };
      const add = (label: string, req: Partial<RawRequest>, expect: Expectation) =>
        cases.push({ route: routeName(m), label, req: { ...base, ...req }, expect });
      if (m.def.auth === "server") {
        // Server-server routes take no access token: only a provider's signature counts.
        const unsigned = { status: 401, errcode: "IO_CALLSIGN_FEDERATION_UNAUTHORIZED" };
        add("unsigned", {}, unsigned);
        add("a user's access token instead", { token: fx.aliceToken }, unsigned);
        add(
          "a bogus signature",
          { headers: { Signature: "callsign=:AAAA:", "Signature-Input": 'callsign=("@method")' } },
          unsigned,
        );
        continue;
      }
      const sep = path.includes("?") ? "&" : "?";
      if (m.def.auth !== "optional") {
        const missing = { status: 401, errcode: "M_MISSING_TOKEN" };
        add("no token", {}, missing);
        add("empty bearer", { headers: { Authorization: "Bearer " } }, missing);
        add("non-bearer scheme", { headers: { Authorization: "Basic YWxpY2U6cHc=" } }, missing);
        add("access_token given twice", { path: `${path}${sep}access_token=a&access_token=b` }, {});
      }
      const unknown = { status: 401, errcode: "M_UNKNOWN_TOKEN" };
      add("bogus bearer token", { token: "syt_bogus_token" }, unknown);
      add("5000-char bearer token", { token: "t".repeat(5000) }, unknown);
      add("bogus access_token query", { path: `${path}${sep}access_token=bogus` }, unknown);
      add("NUL access_token query", { path: `${path}${sep}access_token=%00` }, unknown);
      add("unicode access_token query", { path: `${path}${sep}access_token=${enc("🙂ü")}` }, unknown);
      if (m.def.auth === "account")
        add("guest token", { token: fx.guestToken }, { status: 403, errcode: "M_GUEST_ACCESS_FORBIDDEN" });
    }
    assertNoViolations(cases, await fx.run(cases));
  });

  it("answers 400/413 to bodies that are not JSON objects, wrong-typed or too large", async () => {
    const roomRoutes = new Set(
      mounts.filter((m) => hasBody(m.method) && paramNames(m.pattern).some((p) => p.startsWith("roomId"))),
    );
    await Promise.all(
      [...new Set([...roomRoutes].map((m) => m.def.path))].map(async (route) => {
        const { room_id } = await fx.ok({ method: "POST", path: `${V3}/createRoom`, body: "{}" });
        fx.scratchRooms.set(route, room_id as string);
      }),
    );
    const wrong = JSON.stringify(wrongTypedBody());
    const deep = '{"a":'.repeat(5000) + "1" + "}".repeat(5000);
    const cases: Case[] = [];
    for (const m of mounts) {
      // Server-server routes check the signature over the body first: test/federation-*.test.ts
      // sends them bad bodies, signed.
      if (!hasBody(m.method) || m.def.auth === "server") continue;
      const disposableSession = sessionEnding.has(m.def.path);
      const real = fill(m.pattern, fx.realParam);
      const add = (label: string, body: string, expect: Expectation, path = real) =>
        cases.push({
          route: routeName(m),
          label,
          req: { method: m.method, path, token: fx.aliceToken, body },
          expect,
          disposableSession,
        });
      add("body not JSON", "{bad", { status: 400, errcode: "M_NOT_JSON" });
      add("body truncated JSON", '{"a":', { status: 400, errcode: "M_NOT_JSON" });
      add("body a JSON array", "[1,2,3]", { status: 400 });
      add("body a JSON string", '"a string"', { status: 400 });
      add("body a JSON number", "12345", { status: 400 });
      add("body JSON true", "true", { status: 400 });
      add(NULL_BODY, "null", { status: 400 });
      add("body over the size limit", JSON.stringify({ a: "x".repeat(MAX_BODY + 10) }), {
        status: 413,
        errcode: "M_TOO_LARGE",
      });
      add("invalid body over the size limit", "{bad" + " ".repeat(MAX_BODY + 10), {
        status: 413,
        errcode: "M_TOO_LARGE",
      });
      add("every known field wrong-typed", wrong, { allow2xx: true });
      // Valid objects a route may legitimately act on (`{"a":1}` to /leave leaves): aimed at
      // nonexistent ids, or at a scratch room, never at the room that must survive.
      const scratch = fill(m.pattern, fx.scratchParam(m.def.path));
      add("5000 levels of nesting under an unknown field", deep, { allow2xx: true }, scratch);
      add('unknown field {"a":1}, scratch room', '{"a":1}', { allow2xx: true }, scratch);
      add(
        "NUL inside strings",
        JSON.stringify({ a: "x\u0000y", body: "\u0000" }),
        { allow2xx: true },
        scratch,
      );
      add(
        'unknown field {"a":1}, nonexistent ids',
        '{"a":1}',
        { allow2xx: true },
        fill(m.pattern, fx.nopeParam),
      );
    }
    // A `null` body mistaken for `{}` is a valid request to leave the room: sent last, so that
    // such a bug shows up once here (and in "loses nothing") rather than across every case.
    cases.sort((a, b) => Number(a.label === NULL_BODY) - Number(b.label === NULL_BODY));
    assertNoViolations(cases, await fx.run(cases));
  });

  it("answers 405 M_UNRECOGNIZED to a wrong method on a known path", async () => {
    const cases: Case[] = [];
    for (const pattern of new Set(mounts.map((m) => m.pattern))) {
      const path = fill(pattern, fx.nopeParam);
      const serving = methodsServing(path);
      for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"]) {
        if (serving.has(method)) continue;
        cases.push({
          route: `${[...serving].join("|")} ${pattern}`,
          label: `wrong method ${method}`,
          req: { method, path, token: fx.aliceToken, body: method === "GET" ? undefined : "{}" },
          expect: { status: 405, errcode: "M_UNRECOGNIZED" },
        });
      }
    }
    assertNoViolations(cases, await fx.run(cases));
  });

  it("answers 404 M_UNRECOGNIZED to unknown paths under /_matrix", async () => {
    const unrecognized = { status: 404, errcode: "M_UNRECOGNIZED" };
    const paths: [string, Expectation][] = [
      [`${V3}/nope`, unrecognized],
      [`${V3}/`, unrecognized],
      [`${V3}/rooms`, unrecognized],
      [`${V3}/rooms/${enc("!nope:localhost")}/nope`, unrecognized],
      [`${V3}/sync/extra`, unrecognized],
      [`${V3}/${"x".repeat(5000)}`, unrecognized],
      [`${V3}/%00`, unrecognized],
      // A path that cannot be decoded may be refused as a bad request instead.
      [`${V3}/%ZZ`, { status: "4xx" }],
      [`${ClientPrefixes[1]}/nope/deeper`, unrecognized],
      ["/_matrix/client/v4/sync", unrecognized],
      ["/_matrix/nope", unrecognized],
      ["/_matrix/media/v3/config", unrecognized],
      ["/_matrix/federation/v1/version", unrecognized],
    ];
    const cases: Case[] = paths.flatMap(([path, expect]) =>
      ["GET", "POST", "DELETE"].flatMap((method) =>
        [undefined, fx.aliceToken].map((token) => ({
          route: "(unknown)",
          label: "unknown path",
          req: { method, path, token, body: method === "POST" ? "{}" : undefined },
          expect,
        })),
      ),
    );
    assertNoViolations(cases, await fx.run(cases));
  });

  it("answers 4xx to odd path parameters: NUL, 5000 chars, unicode, broken escapes", async () => {
    const odd: { label: string; value: string; neverOk: boolean }[] = [
      { label: "NUL", value: "%00", neverOk: true },
      { label: "broken escape %ZZ", value: "%ZZ", neverOk: true },
      { label: "invalid UTF-8 %C3%28", value: "%C3%28", neverOk: true },
      { label: "5000 chars", value: "x".repeat(5000), neverOk: false },
      { label: "unicode", value: enc("🙂 ünïcödé ✓"), neverOk: false },
      { label: "encoded slash", value: enc("a/../b"), neverOk: false },
      { label: "quotes", value: enc(`' OR '1'='1"; --`), neverOk: false },
    ];
    const cases: Case[] = [];
    for (const m of mounts) {
      if (sessionEnding.has(m.def.path)) continue;
      for (const param of paramNames(m.pattern)) {
        for (const { label, value, neverOk } of odd) {
          // The other parameters nonexistent, then real (Alice's room, user, event).
          for (const base of [fx.nopeParam, fx.realParam]) {
            const path = fill(m.pattern, (name) => (name === param ? value : base(name)));
            cases.push({
              route: `${routeName(m)} [${param}]`,
              label: `path parameter ${label}`,
              req: {
                method: m.method,
                path,
                token: fx.aliceToken,
                body: hasBody(m.method) ? "{}" : undefined,
              },
              // Odd but legal values (a unicode event type) may succeed where the rest is real.
              expect: { allow2xx: base === fx.realParam && !neverOk },
            });
          }
        }
      }
    }
    assertNoViolations(cases, await fx.run(cases));
  });

  it("answers 4xx to bad query values", async () => {
    const room = `/rooms/${enc(fx.roomId)}`;
    const bad: [path: string, expect: Expectation][] = [
      ["/sync?since=garbage", { status: 400 }],
      ["/sync?since=s99999999999999999999", { status: 400 }],
      ["/sync?since=", { status: 400 }],
      ["/sync?timeout=-5", { status: 400 }],
      ["/sync?timeout=abc", { status: 400 }],
      ["/sync?timeout=1.5", { status: 400 }],
      ["/sync?timeout=1&timeout=2", { status: 400 }],
      ["/sync?filter={bad", { status: 400, errcode: "M_NOT_JSON" }],
      [`/sync?filter=${enc('{"room":{"timeline":{"limit":"x"}}}')}`, { status: 400 }],
      [`/sync?filter=${enc('{"room":{"rooms":"x"}}')}`, { status: 400 }],
      ["/sync?filter=999999", { status: 404, errcode: "M_NOT_FOUND" }],
      [`/sync?filter=${"x".repeat(9000)}`, { status: 400 }],
      ["/sync?full_state=maybe", { status: 400 }],
      ["/sync?set_presence=bogus", { status: 400 }],
      [`${room}/messages?dir=x`, { status: 400 }],
      [`${room}/messages`, { status: 400 }],
      [`${room}/messages?dir=b&dir=f`, { status: 400 }],
      [`${room}/messages?dir=b&limit=0`, { status: 400 }],
      [`${room}/messages?dir=b&limit=-1`, { status: 400 }],
      [`${room}/messages?dir=b&limit=abc`, { status: 400 }],
      [`${room}/messages?dir=b&limit=1e9`, { status: 400 }],
      [`${room}/messages?dir=b&from=garbage`, { status: 400 }],
      [`${room}/messages?dir=b&to=garbage`, { status: 400 }],
      [`${room}/messages?dir=b&from=%00`, { status: 400 }],
      [`${room}/messages?dir=b&filter={bad`, { status: 400, errcode: "M_NOT_JSON" }],
      [`${room}/messages?dir=b&filter=${enc("[1]")}`, { status: 400 }],
      [`${room}/messages?dir=b&filter=${enc('{"limit":0}')}`, { status: 400 }],
      [`${room}/messages?dir=b&filter=${enc('"x"')}`, { status: 400 }],
      [`${room}/members?membership=%00`, { allow2xx: true }],
      ["/register/available", { status: 400, errcode: "M_MISSING_PARAM" }],
      ["/register/available?username=", { status: 400 }],
      ["/register/available?username=%00", { status: 400 }],
      [`/register/available?username=${"x".repeat(5000)}`, { status: 400 }],
      ["/register/available?username=a&username=b", { status: 400 }],
    ];
    const cases: Case[] = bad.map(([path, expect]) => ({
      route: `GET ${path.split("?")[0]!.replace(room, "/rooms/:roomId")}`,
      label: "bad query",
      req: { method: "GET", path: V3 + path, token: fx.aliceToken },
      expect,
    }));
    for (const [query, expect] of [
      ["?kind=admin", { status: 400, errcode: "M_INVALID_PARAM" }],
      ["?kind=guest&kind=user", { status: 400 }],
    ] as const)
      cases.push({
        route: "POST /register",
        label: "bad query",
        req: { method: "POST", path: `${V3}/register${query}`, body: "{}" },
        expect,
      });
    // Every GET route with a pile of junk parameters: ignored or refused, never a 500.
    const junk = "limit=abc&timeout=-5&dir=x&since=garbage&from=%00&filter={bad&full_state=maybe&kind=%ZZ";
    for (const m of mounts.filter((m) => m.method === "GET")) {
      cases.push({
        route: routeName(m),
        label: "junk query parameters",
        req: { method: "GET", path: `${fill(m.pattern, fx.realParam)}?${junk}`, token: fx.aliceToken },
        expect: { allow2xx: true },
      });
    }
    assertNoViolations(cases, await fx.run(cases));
  });

  it("scopes transaction IDs to their room: a reused txnId never answers for another room", async () => {
    const txnId = `reused-${Date.now()}`;
    const send = (roomId: string) =>
      fx.http({
        method: "PUT",
        path: `${V3}/rooms/${enc(roomId)}/send/m.room.message/${txnId}`,
        token: fx.aliceToken,
        body: JSON.stringify({ msgtype: "m.text", body: `txn ${txnId} in ${roomId}` }),
      });
    const [roomA, roomB] = await Promise.all(
      [1, 2].map(
        async () => (await fx.ok({ method: "POST", path: `${V3}/createRoom`, body: "{}" })).room_id as string,
      ),
    );
    const first = await send(roomA!);
    expect(first.status, first.text).to.equal(200);
    const elsewhere = await send(roomB!);
    const nowhere = await send("!nope:localhost");
    const again = await send(roomA!);
    const id = (r: RawResponse) => (r.json as { event_id?: string } | undefined)?.event_id;
    const wrong: string[] = [];
    if (elsewhere.status !== 200 || id(elsewhere) === id(first))
      wrong.push(`another room answered ${elsewhere.status} ${elsewhere.text}, first event was ${id(first)}`);
    if (nowhere.status < 400 || nowhere.status > 499)
      wrong.push(`a nonexistent room answered ${nowhere.status} ${nowhere.text}`);
    if (id(again) !== id(first))
      wrong.push(`a retry in the same room answered ${again.status} ${again.text}`);
    if (wrong.length) expect.fail(`PUT …/send/m.room.message/${txnId} reused:\n  ${wrong.join("\n  ")}\n`);
  });

  it("loses nothing: Alice's session, rooms, messages, profile and data are intact", async () => {
    const room = `${V3}/rooms/${enc(fx.roomId)}`;
    const me = `${V3}/user/${enc(fx.alice.userId)}`;
    const messagesOnly = enc(JSON.stringify({ types: ["m.room.message"] }));
    await allOf("Alice lost", [
      [
        "her session",
        async () => {
          const whoami = await fx.ok({ method: "GET", path: `${V3}/account/whoami` });
          expect(whoami).to.include({ user_id: fx.alice.userId, device_id: fx.deviceId });
        },
      ],
      [
        "her device",
        async () => {
          const { devices } = await fx.ok({ method: "GET", path: `${V3}/devices` });
          expect((devices as { device_id: string }[]).map((d) => d.device_id)).to.include(fx.deviceId);
        },
      ],
      [
        "her room",
        async () => {
          const { joined_rooms } = await fx.ok({ method: "GET", path: `${V3}/joined_rooms` });
          expect(joined_rooms).to.include(fx.roomId);
        },
      ],
      [
        "her membership",
        async () => {
          const { joined } = await fx.ok({ method: "GET", path: `${room}/joined_members` });
          expect(joined).to.have.property(fx.alice.userId);
        },
      ],
      [
        "her messages",
        async () => {
          const { chunk } = await fx.ok({
            method: "GET",
            path: `${room}/messages?dir=b&limit=1000&filter=${messagesOnly}`,
          });
          const bodies = fx.eventIds.map(
            (id) =>
              (chunk as { event_id: string; content: { body?: string } }[]).find((e) => e.event_id === id)
                ?.content.body,
          );
          expect(bodies).to.deep.equal(fx.bodies);
        },
      ],
      [
        "the room name",
        async () =>
          expect(await fx.ok({ method: "GET", path: `${room}/state/m.room.name` })).to.deep.equal({
            name: "Input tests",
          }),
      ],
      [
        "her profile",
        async () =>
          expect(await fx.ok({ method: "GET", path: `${V3}/profile/${enc(fx.alice.userId)}` })).to.deep.equal(
            {
              displayname: fx.displayName,
              avatar_url: fx.avatarUrl,
            },
          ),
      ],
      [
        "her filter",
        async () =>
          expect(
            await fx.ok({ method: "GET", path: `${me}/filter/${enc(fx.filterId)}` }),
          ).to.have.nested.property("room.timeline.limit", 5),
      ],
      [
        "her account data",
        async () =>
          expect(await fx.ok({ method: "GET", path: `${me}/account_data/io.callsign.keep` })).to.deep.equal({
            v: 1,
          }),
      ],
      [
        "her room account data",
        async () =>
          expect(
            await fx.ok({
              method: "GET",
              path: `${me}/rooms/${enc(fx.roomId)}/account_data/io.callsign.keep`,
            }),
          ).to.deep.equal({ v: 1 }),
      ],
    ]);
  });

  it("still serves a normal request on every GET route and on the main POST/PUT routes", async () => {
    const queries: Record<string, string> = {
      [ClientRoutes.roomMessages]: "?dir=b&limit=5",
      [ClientRoutes.registerAvailable]: `?username=free${Date.now()}`,
      [CallsignRoutes.directory]: "?q=alice",
    };
    const room = `${V3}/rooms/${enc(fx.roomId)}`;
    const me = `${V3}/user/${enc(fx.alice.userId)}`;
    // Server-server routes need a provider's signature: test/federation-requests.test.ts serves them.
    const checks: [string, () => Promise<unknown>][] = mounts
      .filter((m) => m.method === "GET" && m.def.auth !== "server")
      .map((m) => [
        routeName(m),
        () => fx.ok({ method: "GET", path: fill(m.pattern, fx.realParam) + (queries[m.def.path] ?? "") }),
      ]);

    let sent = "";
    let since = "";
    checks.push(
      [
        "initial sync",
        async () => (since = (await fx.ok({ method: "GET", path: `${V3}/sync` })).next_batch as string),
      ],
      [
        "send",
        async () => {
          const res = await fx.ok({
            method: "PUT",
            path: `${room}/send/m.room.message/after-${Date.now()}`,
            body: JSON.stringify({ msgtype: "m.text", body: "after the barrage" }),
          });
          sent = res.event_id as string;
        },
      ],
      [
        "incremental sync shows the new message",
        async () => {
          const next = await fx.ok({ method: "GET", path: `${V3}/sync?since=${enc(since)}` });
          const rooms = next.rooms as {
            join?: Record<string, { timeline: { events: { event_id: string }[] } }>;
          };
          expect(rooms?.join?.[fx.roomId]?.timeline.events.map((e) => e.event_id)).to.include(sent);
        },
      ],
      [
        "messages shows the new message",
        async () => {
          const { chunk } = await fx.ok({ method: "GET", path: `${room}/messages?dir=b&limit=5` });
          expect((chunk as { event_id: string }[]).map((e) => e.event_id)).to.include(sent);
        },
      ],
    );
    const write = (what: string, req: RawRequest): [string, () => Promise<unknown>] => [
      what,
      () => fx.ok(req),
    ];
    checks.push(
      write("state", { method: "PUT", path: `${room}/state/io.callsign.test/after`, body: '{"v":2}' }),
      write("create room", { method: "POST", path: `${V3}/createRoom`, body: "{}" }),
      write("join (again)", { method: "POST", path: `${room}/join`, body: "{}" }),
      write("invite", {
        method: "POST",
        path: `${room}/invite`,
        body: JSON.stringify({ user_id: fx.carol.userId }),
      }),
      ["receipt", () => fx.ok({ method: "POST", path: `${room}/receipt/m.read/${enc(sent)}`, body: "{}" })],
      [
        "read markers",
        () =>
          fx.ok({
            method: "POST",
            path: `${room}/read_markers`,
            body: JSON.stringify({ "m.fully_read": sent }),
          }),
      ],
      write("filter", { method: "POST", path: `${me}/filter`, body: "{}" }),
      write("account data", { method: "PUT", path: `${me}/account_data/io.callsign.after`, body: '{"v":2}' }),
      write("display name", {
        method: "PUT",
        path: `${V3}/profile/${enc(fx.alice.userId)}/displayname`,
        body: JSON.stringify({ displayname: fx.displayName }),
      }),
      write("to-device", {
        method: "PUT",
        path: `${V3}/sendToDevice/io.callsign.test/after-${Date.now()}`,
        body: JSON.stringify({ messages: { [fx.alice.userId]: { "*": { v: 2 } } } }),
      }),
      write("login", {
        method: "POST",
        path: `${V3}/login`,
        token: undefined,
        body: JSON.stringify({
          type: "m.login.password",
          identifier: { type: "m.id.user", user: fx.alice.userId },
          password: fx.alice.password,
        }),
      }),
    );
    await allOf("normal requests failed", checks);
  });

  it("answers CORS preflights and puts Access-Control-Allow-Origin on every answer", async () => {
    const paths = [
      `${V3}/sync`,
      `${V3}/rooms/${enc(fx.roomId)}/send/m.room.message/cors`,
      `${V3}/login`,
      "/_matrix/client/versions",
      `${V3}/nope`,
    ];
    for (const path of paths) {
      const res = await fx.http({
        method: "OPTIONS",
        path,
        headers: {
          Origin: "https://app.example",
          "Access-Control-Request-Method": "PUT",
          "Access-Control-Request-Headers": "authorization, content-type",
        },
      });
      expect(res.status, path).to.equal(204);
      expect(res.headers.get("access-control-allow-origin"), path).to.equal("*");
      const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
      expect(allowed, path).to.include.members(["authorization", "content-type"]);
      expect(res.headers.get("access-control-allow-methods") ?? "", path).to.match(/\bPUT\b/);
    }
    const answers = await Promise.all([
      fx.http({
        method: "GET",
        path: "/_matrix/client/versions",
        headers: { Origin: "https://app.example" },
      }),
      fx.http({
        method: "GET",
        path: `${V3}/sync`,
        token: fx.aliceToken,
        headers: { Origin: "https://app.example" },
      }),
      fx.http({ method: "GET", path: `${V3}/sync`, headers: { Origin: "https://app.example" } }),
      fx.http({
        method: "POST",
        path: `${V3}/login`,
        body: "{bad",
        headers: { Origin: "https://app.example" },
      }),
    ]);
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200, 401, 400]);
    for (const r of answers) expect(r.headers.get("access-control-allow-origin")).to.equal("*");
  });
});
