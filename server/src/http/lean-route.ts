/**
 * Long-polls (`/sync`) on node:http, ahead of express. A client holds its long-poll nearly all
 * the time, so what a request keeps while it waits is paid once per connected client. Under
 * express a held `/sync` kept 13.3 KB of heap (snapshots of 2,000 held polls), 3.7 KB of it
 * express's: the request and the response each get a hidden class of their own (express sets
 * their prototypes to the app's, and V8 copies the class for every object it does that to),
 * the router's closures, the parsed URL, and the headers set before the handler ran. Those
 * classes are allocated in the old generation, so even a short request leaves ~1.7 KB that
 * only a full collection frees. Here a held request keeps node's objects, a small `Exchange`
 * and the handler's wait; its headers are written once, with the answer.
 *
 * The answer is the one express gives, byte for byte: CORS headers, `X-Request-Id`, JSON with
 * `Content-Length` and a weak `ETag`, errors through the same mapping, the same metrics and
 * debug line. Only requests this path answers exactly so come here: a GET at one of the route's
 * paths as written, with no body, no conditional headers (express's 304s) and a URL that
 * express parses the simple way; HEAD, OPTIONS, bodies and other spellings go on to express,
 * which serves the same route.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { AppContext } from "../context.js";
import { clientIp } from "./client-ip.js";
import { CORS_HEADERS } from "./cors.js";
import { retryAfter, toProtocolError } from "./errors.js";
import { fullPaths, Reply, type Auth, type Call, type RouteDef } from "./route.js";
import { prepareCall } from "./run-route.js";

/** Characters after which express's URL parser (parseurl) leaves its fast path. */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

const CORS_FLAT = CORS_HEADERS.flat();

/** A request this path takes: its route, the path as written and the query string. */
export interface LongPollMatch {
  def: RouteDef<Auth>;
  path: string;
  search: string;
}

/**
 * Picks out the requests this path answers exactly as express would: a GET at one of a
 * long-poll route's paths as written, with no body, no conditional headers and a URL that
 * express parses the simple way. Anything else is left to express (undefined).
 */
export function longPollMatcher(
  routes: RouteDef<Auth>[],
): (req: Pick<IncomingMessage, "method" | "url" | "headers">) => LongPollMatch | undefined {
  const byPath = new Map<string, RouteDef<Auth>>();
  for (const def of routes) {
    if (!def.longPoll) continue;
    if (def.method !== "get" || def.auth === "server" || def.path.includes(":")) {
      throw new Error(`long-poll route ${def.path}: only GETs without path parameters or peers`);
    }
    for (const p of fullPaths(def)) byPath.set(p, def);
  }
  return (req) => {
    if (req.method !== "GET" || byPath.size === 0) return undefined;
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const def = byPath.get(path);
    const h = req.headers;
    if (
      !def ||
      h["content-length"] !== undefined ||
      h["transfer-encoding"] !== undefined ||
      h["if-none-match"] !== undefined ||
      h["if-modified-since"] !== undefined ||
      UNUSUAL_URL.test(url)
    ) {
      return undefined;
    }
    return { def, path, search: q < 0 ? "" : url.slice(q + 1) };
  };
}

/** A request listener for the long-poll routes: true when it took the request, else express's turn. */
export function leanRoutes(
  ctx: AppContext,
  routes: RouteDef<Auth>[],
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const match = longPollMatcher(routes);
  return (req, res) => {
    const m = match(req);
    if (m) serve(ctx, m.def, req, res, m.path, m.search);
    return m !== undefined;
  };
}

function serve(
  ctx: AppContext,
  def: RouteDef<Auth>,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  search: string,
): void {
  const x = new Exchange(ctx, def, res, path);
  ctx.logger.debug({ id: x.id, method: req.method, url: path }, "request");
  const query = parseQuery(search) as Record<string, unknown>;
  const ip = clientIp(req) ?? "unknown";
  // then() rather than await: a suspended async function keeps all its locals for the wait.
  prepareCall(ctx, def, { method: "GET", query, params: {}, body: undefined, ip, raw: req }).then(
    (call) => x.run(call),
    (err: unknown) => x.fail(err),
  );
}

/** What a request needs to answer (and all it keeps while it waits). */
class Exchange {
  readonly started = process.hrtime.bigint();
  // Flattened: randomUUID() builds its text from 20 pieces, a 450-byte rope.
  readonly id = randomUUID().normalize();

  constructor(
    private readonly ctx: AppContext,
    private readonly def: RouteDef<Auth>,
    private readonly res: ServerResponse,
    private readonly path: string,
  ) {}

  run(call: Call<Auth>): void {
    let result: unknown;
    try {
      result = this.def.handler(call, this.ctx);
    } catch (err) {
      return this.fail(err);
    }
    // The answer hangs on the handler's own promise: nothing adopts it for the wait.
    Promise.resolve(result).then(
      (r) => this.answer(r),
      (err: unknown) => this.fail(err),
    );
  }

  answer(result: unknown): void {
    // Long-polls answer a JSON body with status 200; nothing here sends a Reply's other forms.
    if (result instanceof Reply) return this.fail(new Error(`long-poll ${this.def.path} answered a Reply`));
    let bytes: Buffer;
    try {
      bytes = Buffer.from(JSON.stringify(result ?? {}));
    } catch (err) {
      return this.fail(err);
    }
    this.send(200, bytes);
  }

  fail(err: unknown): void {
    const e = toProtocolError(err, this.ctx.logger, { id: this.id, method: "GET", url: this.path });
    this.send(e.status, Buffer.from(JSON.stringify(e.toBody())), retryAfter(e));
  }

  /** The headers express would send, in its order, written once with the body. */
  private send(status: number, bytes: Buffer, wait?: number): void {
    const headers: (string | number)[] = [...CORS_FLAT, "X-Request-Id", this.id];
    if (wait !== undefined) headers.push("Retry-After", wait);
    headers.push(
      "Content-Type",
      "application/json; charset=utf-8",
      "Content-Length",
      String(bytes.length),
      "ETag",
      weakETag(bytes),
    );
    const { ctx, def, started } = this;
    this.res.writeHead(status, headers);
    this.res.end(bytes, () => ctx.metrics.answered(def.method, def.path, status, started));
  }
}

/** express's default ETag (the `etag` package, weak): length and SHA-1 of the body. */
function weakETag(bytes: Buffer): string {
  const hash = createHash("sha1").update(bytes).digest("base64").substring(0, 27);
  return `W/"${bytes.length.toString(16)}-${hash}"`;
}
