/** Accounts and `/sync` long-polls through the client API, for the benchmarks' load. */
import type { JsonClient } from "./http.js";

export const CS = "/_matrix/client/v3";

export interface Account {
  userId: string;
  token: string;
  /** A subscriber's e-mail (guests have none). */
  email?: string;
}

/** Registers a subscriber (the two user-interactive steps), with a username when given. */
export async function register(client: JsonClient, email: string, username?: string): Promise<Account> {
  const body = { email, password: "correct horse battery", ...(username && { username }) };
  const first = await client.request<{ session?: string }>("POST", `${CS}/register`, body);
  if (first.status !== 401 || !first.body.session) throw new Error(`register: ${first.status}`);
  const done = await client.ok<{ user_id: string; access_token: string }>("POST", `${CS}/register`, {
    ...body,
    auth: { type: "m.login.dummy", session: first.body.session },
  });
  return { userId: done.user_id, token: done.access_token, email };
}

/** A guest: logged in without a password (cheap to make many of). */
export async function guest(client: JsonClient): Promise<Account> {
  const done = await client.ok<{ user_id: string; access_token: string }>(
    "POST",
    `${CS}/register?kind=guest`,
    {},
  );
  return { userId: done.user_id, token: done.access_token };
}

/** Runs `n` tasks `concurrency` at a time (making accounts, joining rooms). */
export async function inBatches<T>(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SyncBody = any;

/**
 * One client's `/sync` long-poll loop: the initial sync, then a long-poll after each answer,
 * each answer handed to `onAnswer` as it arrives, until `stop()`.
 */
export class SyncLoop {
  private since: string | undefined;
  private stopped = false;
  readonly done: Promise<void>;
  private readyResolve!: () => void;
  /** Settles once the initial sync answered (the loop then long-polls). */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  constructor(
    private readonly client: JsonClient,
    private readonly token: string,
    private readonly onAnswer: (body: SyncBody) => void,
    private readonly timeoutMs = 30_000,
    /** A filter (JSON) for every request, e.g. a timeline limit that holds a burst of messages. */
    private readonly filter?: object,
  ) {
    this.done = this.run().catch((err: unknown) => {
      // A broken loop shows as messages that never arrive; say why once.
      console.warn(`a /sync loop stopped: ${(err as Error).message}`);
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const filter = this.filter ? `&filter=${encodeURIComponent(JSON.stringify(this.filter))}` : "";
      const query = (this.since ? `?since=${this.since}&timeout=${this.timeoutMs}` : "?timeout=0") + filter;
      let res;
      try {
        res = await this.client.request<SyncBody>("GET", `${CS}/sync${query}`, undefined, this.token);
      } catch (err) {
        // Stopped: the client's sockets were closed under the long-poll.
        if (this.stopped) return;
        throw err;
      }
      if (res.status !== 200)
        throw new Error(`sync: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      const first = this.since === undefined;
      this.since = res.body.next_batch;
      if (!first) this.onAnswer(res.body);
      else this.readyResolve();
    }
  }
}
