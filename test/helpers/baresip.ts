/**
 * A client of baresip's TCP control port (ctrl_tcp) for the SIP lab (sip-lab.ts): commands and
 * their answers, and the call events baresip reports in between, kept in order.
 */
import { connect, type Socket } from "node:net";

/** An event baresip sends on its control port (CALL_ESTABLISHED, CALL_CLOSED, CALL_RTCP...). */
export interface BaresipEvent {
  type: string;
  /** The SIP Call-ID of the call it is about. */
  id?: string;
  param?: string;
  peeruri?: string;
  /** CALL_RTCP: `rx.sent` is how many packets the far end sent (by sequence numbers), `rx.lost` how many never came. */
  rtcp_stats?: { rx: { sent: number; lost: number }; tx: { sent: number; lost: number } };
}

/**
 * baresip's TCP control port (ctrl_tcp): commands as netstrings of JSON
 * (`{"command","params","token"}`), answered `{"response":true,"ok","data","token"}`, and
 * events `{"event":true,"type",...}` in between.
 */
export class Baresip {
  readonly events: BaresipEvent[] = [];
  private buffer = Buffer.alloc(0);
  private nextToken = 0;
  private readonly pending = new Map<string, { resolve(data: string): void; reject(error: Error): void }>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      for (const { reject } of this.pending.values()) reject(new Error("baresip's control port closed"));
      this.pending.clear();
    });
  }

  static connect(host: string, port: number): Promise<Baresip> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once("connect", () => resolve(new Baresip(socket)));
      socket.once("error", reject);
    });
  }

  /** Runs a command (`listcalls`, `hangup`, `dial sip:...` as name and params); resolves with its output. */
  command(name: string, params = ""): Promise<string> {
    const token = String(++this.nextToken);
    const body = Buffer.from(JSON.stringify({ command: name, params, token }));
    return new Promise((resolve, reject) => {
      this.pending.set(token, { resolve, reject });
      this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(",")]));
    });
  }

  /** Calls `to` from the extension `from` (baresip dials from the user agent it last used). */
  async dial(from: string, to: string): Promise<void> {
    await this.command("uafind", from);
    await this.command("dial", to);
  }

  /** How many calls baresip has (`listcalls`). */
  async calls(): Promise<number> {
    const listed = await this.command("listcalls");
    const count = /Active calls \((\d+)\)/.exec(listed)?.[1];
    if (count === undefined) throw new Error(`unexpected listcalls output: ${listed}`);
    return Number(count);
  }

  /**
   * RTP packets baresip received in call `callId` (default: the latest call with a report) as
   * of its latest RTCP report: sent by the far end minus lost.
   */
  received(callId?: string): number {
    const report = this.events.findLast(
      (e) => e.type === "CALL_RTCP" && e.param === "audio" && (!callId || e.id === callId),
    );
    const rx = report?.rtcp_stats?.rx;
    return rx ? rx.sent - rx.lost : 0;
  }

  /** Resolves with the first event (from the start of the session) matching, else the next one. */
  async event(match: (e: BaresipEvent) => boolean, what: string, timeoutMs = 10_000): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`baresip sent no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(":");
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, end).toString()) as Record<string, unknown>;
      this.buffer = this.buffer.subarray(end + 1);
      if (message.response) {
        const token = String(message.token);
        const waiting = this.pending.get(token);
        this.pending.delete(token);
        if (message.ok) waiting?.resolve(String(message.data ?? ""));
        else waiting?.reject(new Error(`baresip: ${String(message.data ?? "command failed")}`));
      } else if (message.event) {
        this.events.push(message as unknown as BaresipEvent);
        for (const wake of this.waiters) wake();
        this.waiters.clear();
      }
    }
  }
}

/** A bare SIP OPTIONS over UDP from `from` (our side of the veth) to kamailio at `to`. */
