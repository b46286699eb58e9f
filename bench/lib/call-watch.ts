/**
 * Operators watching for calls: each holds a `/sync` long-poll, and a call counts as arrived
 * when its room first shows among any operator's invites. `place` times a call from the
 * "place call" request to that moment (at most 10 s: beyond, the call counts as failed).
 */
import { CallsignPrefix } from "../../protocol/callsign/routes.js";
import type { Subscriber } from "../../test/helpers/calls.js";
import type { JsonClient } from "./http.js";
import { SyncLoop, type Account, type SyncBody } from "./matrix.js";

const ARRIVAL_TIMEOUT_MS = 10_000;

export class CallWatch {
  private readonly seen = new Map<string, { at: number } | { wake: (at: number) => void }>();
  private readonly loops: SyncLoop[] = [];

  private constructor(private readonly operators: Account[]) {}

  /** Starts every operator's sync loop and waits until each is long-polling. */
  static async start(client: JsonClient, operators: Account[]): Promise<CallWatch> {
    const watch = new CallWatch(operators);
    for (const op of operators) {
      const loop = new SyncLoop(client, op.token, (answer: SyncBody) => watch.arrived(answer));
      watch.loops.push(loop);
      await loop.ready;
    }
    return watch;
  }

  /** The operators as the test helpers' ServiceKit adds them (by e-mail, online with their token). */
  get asSubscribers(): Subscriber[] {
    return this.operators.map((a) => ({
      user_id: a.userId,
      access_token: a.token,
      device_id: "",
      number: "",
      email: a.email!,
    }));
  }

  /** Places a call to `handle` as `caller` through `client`; answers the ms until an operator saw it. */
  async place(client: JsonClient, caller: Account, handle: string): Promise<number> {
    const start = performance.now();
    const call = await client.ok<{ room_id: string }>(
      "POST",
      `${CallsignPrefix}/calls`,
      { handle, topic: "Benchmark" },
      caller.token,
    );
    const entry = this.seen.get(call.room_id);
    const at =
      entry && "at" in entry
        ? entry.at
        : await new Promise<number>((wake, fail) => {
            this.seen.set(call.room_id, { wake });
            setTimeout(
              () =>
                fail(new Error(`no operator's sync showed the call within ${ARRIVAL_TIMEOUT_MS / 1000} s`)),
              ARRIVAL_TIMEOUT_MS,
            ).unref();
          });
    return at - start;
  }

  stop(): void {
    for (const loop of this.loops) loop.stop();
  }

  private arrived(answer: SyncBody): void {
    const at = performance.now();
    for (const roomId of Object.keys(answer.rooms?.invite ?? {})) {
      const entry = this.seen.get(roomId);
      if (entry && "wake" in entry) entry.wake(at);
      else if (!entry) this.seen.set(roomId, { at });
    }
  }
}
