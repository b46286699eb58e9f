/**
 * Starting and stopping one homeserver process: configuration → context → HTTP server + job
 * workers. `main.ts` calls this for production and the embedded default; tests call it through
 * the same function (or spawn `main.ts`) so they run what production runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config/config.js";
import { createContext, type AppContext } from "./context.js";
import { closeContext } from "./context-lifecycle.js";
import { wireFederation } from "../../federation/src/wire.js";
import { routes } from "./api/index.js";
import { createApp } from "./http/app.js";
import { defineHousekeeping, scheduleHousekeeping } from "./jobs/handlers/housekeeping.js";
import { TYPING_EXPIRY_JOB, type TypingExpiry } from "./services/typing.js";
import { defineCallJobs } from "./jobs/handlers/calls.js";
import { defineNameJobs } from "./jobs/handlers/names.js";
import { defineBillingJobs } from "./jobs/handlers/billing.js";
import { defineServiceJobs } from "./jobs/handlers/services.js";
import { defineFederationJobs } from "./jobs/handlers/federation.js";
import { KEY_PIN_LABEL, pinRecord } from "../../protocol/federation/discovery.js";

export interface Homeserver {
  url: string;
  ctx: AppContext;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export async function startHomeserver(config: Config): Promise<Homeserver> {
  const server = createServer();
  // Long-polls last up to the sync cap; keep sockets open a little longer than that.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = config.syncTimeoutMaxMs + 30_000;
  // The port is open before the context is ready (its URL needs the port): a request that
  // arrives meanwhile — a peer retrying a delivery the moment we are back — waits for the app
  // rather than hanging unanswered.
  const gate: { app?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const early: [IncomingMessage, ServerResponse][] = [];
  let inFlight = 0;
  server.on("request", (req, res) => {
    inFlight += 1;
    res.once("close", () => (inFlight -= 1));
    if (gate.app) gate.app(req, res);
    else early.push([req, res]);
  });
  const address = await listen(server, config.listen.host, config.listen.port);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = config.publicBaseUrl ?? `http://${host}:${address.port}`;
  let ctx: AppContext;
  try {
    ctx = await createContext(config, url);
  } catch (err) {
    for (const [, res] of early.splice(0)) res.writeHead(503).end();
    server.close();
    throw err;
  }
  const ready = createApp(ctx, routes);
  defineHousekeeping(ctx);
  ctx.jobs.define<TypingExpiry>(TYPING_EXPIRY_JOB, (data) => ctx.typing.expire(data));
  defineCallJobs(ctx);
  defineNameJobs(ctx);
  defineBillingJobs(ctx);
  defineServiceJobs(ctx);
  defineFederationJobs(ctx);
  wireFederation(ctx);
  gate.app = ready;
  for (const [req, res] of early.splice(0)) ready(req, res);
  await ctx.jobs.start();
  await scheduleHousekeeping(ctx);
  // Items queued for peers before a stop (or whose job was lost) go on from where they were.
  await ctx.delivery.resume();
  // Media rooms of calls that ended while no process held them (a stop, a crash) go now.
  await ctx.media.sweep().catch((err: unknown) => ctx.logger.warn({ err }, "could not sweep media rooms"));
  ctx.logger.info(
    { url, embedded: ctx.db.embedded, redis: Boolean(config.redis.url) },
    "homeserver listening",
  );
  // Peers trust this provider's certificate only when its DNS pins it (spec/federation.md).
  const identity = await ctx.serverKeys.current();
  ctx.logger.info(
    { record: `${KEY_PIN_LABEL}.${config.serverName}. TXT "${pinRecord(identity.fingerprint)}"` },
    "federation identity: publish this DNS record so that peers trust this provider",
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    ctx,
    close: () =>
      (closing ??= (async () => {
        // Stop taking requests, answer the held long-polls, let running requests finish (up to
        // a few seconds), and only then close the database they use.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        ctx.notifier.wakeAll();
        for (let waited = 0; inFlight > 0 && waited < 5000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
        }
        server.closeAllConnections();
        await closed;
        await closeContext(ctx);
      })()),
  };
}
