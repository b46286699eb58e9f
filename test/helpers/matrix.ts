/** Real matrix-js-sdk clients for tests: registration through UIA, login, start and wait. */
import { ClientEvent, createClient, type MatrixClient, SyncState } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

// The SDK logs through loglevel; tests keep their output to failures.
(logger as unknown as { setLevel(level: string): void }).setLevel("silent");

export interface TestUser {
  client: MatrixClient;
  userId: string;
  number: string;
  email: string;
  password: string;
}

let seq = 0;

/** Registers an account with the stock SDK: first request → 401 with a session, then m.login.dummy. */
export async function registerUser(
  baseUrl: string,
  opts: { username?: string; email?: string } = {},
): Promise<TestUser> {
  seq += 1;
  const email = opts.email ?? `user${seq}-${Date.now()}@example.test`;
  const password = "correct horse battery";
  const anon = createClient({ baseUrl });
  const body = { username: opts.username, password, email } as Record<string, unknown>;
  let session: string | undefined;
  try {
    await anon.registerRequest(body as never);
    throw new Error("expected a 401 user-interactive auth step");
  } catch (err) {
    const data = (err as { data?: { session?: string } }).data;
    if (!data?.session) throw err;
    session = data.session;
  }
  const res = await anon.registerRequest({ ...body, auth: { type: "m.login.dummy", session } } as never);
  const client = createClient({
    baseUrl,
    userId: res.user_id,
    accessToken: res.access_token!,
    deviceId: res.device_id!,
  });
  return { client, userId: res.user_id, number: res.user_id.slice(1).split(":")[0]!, email, password };
}

/** Starts the client and resolves once its first sync is PREPARED. */
export function startPrepared(client: MatrixClient, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("client did not reach PREPARED")), timeoutMs);
    const onSync = (state: SyncState) => {
      if (state === SyncState.Prepared) {
        clearTimeout(timer);
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error) {
        clearTimeout(timer);
        reject(new Error("sync error"));
      }
    };
    client.on(ClientEvent.Sync, onSync);
    void client.startClient({ initialSyncLimit: 20 });
  });
}

/** Resolves when `predicate` holds, checking after every sync and event (no fixed sleeps). */
export function waitFor<T>(
  client: MatrixClient,
  predicate: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const v = predicate();
      if (v) {
        cleanup();
        resolve(v);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error("condition not met in time"));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.off(ClientEvent.Sync, check);
      client.off(ClientEvent.Event, check);
    };
    client.on(ClientEvent.Sync, check);
    client.on(ClientEvent.Event, check);
    check();
  });
}
