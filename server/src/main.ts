/** The homeserver process: read the configuration, start, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from "./config/config.js";
import { startHomeserver } from "./homeserver.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const hs = await startHomeserver(config);
  process.stdout.write(`Callsign is running at ${hs.url} (web client and API)\n`);
  const stop = async (signal: string) => {
    hs.ctx.logger.info({ signal }, "shutting down");
    await hs.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`Callsign failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
