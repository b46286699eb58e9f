/**
 * One Janus server as the pool sees it: a janode connection with one session (the homeserver's
 * control session, where every room handle lives), a videoroom handle of that session for room
 * management (create, destroy, list), and an admin API connection for inventories.
 *
 * The link is all or nothing: when any part of it is lost (the websocket drops, a keep-alive
 * fails, Janus times the session out) the rest is torn down, `down` is emitted, and a new link
 * is tried with capped exponential backoff and jitter until `close()`. Janus frees a lost
 * session's handles itself (session_timeout), so nothing of the old link is reused: janode
 * connections are single-use, and the pool ends the calls that were on it.
 */
import { EventEmitter } from "node:events";
import Janode, { type JanodeConnection, type JanodeSession } from "janode";
import VideoRoomPlugin, { type VideoRoomHandle } from "janode/plugins/videoroom";
import { janusRequest, JanusUnavailableError } from "./errors.js";
import type { JanusInstanceConfig, JanusLogger } from "./types.js";

export interface JanusLink {
  connection: JanodeConnection;
  session: JanodeSession;
  /** Room management: create, destroy and list go through this handle. */
  manager: VideoRoomHandle;
  admin: JanodeConnection;
}

export interface InstanceTimings {
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  keepAliveSecs: number;
}

export class JanusInstance extends EventEmitter<{ up: []; down: [reason: string] }> {
  private link: JanusLink | undefined;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly config: JanusInstanceConfig,
    private readonly timings: InstanceTimings,
    private readonly logger?: JanusLogger,
  ) {
    super();
  }

  get id(): string {
    return this.config.id;
  }

  get up(): boolean {
    return this.link !== undefined;
  }

  /** The live link; throws JanusUnavailableError while the instance is down. */
  current(): JanusLink {
    if (!this.link) throw new JanusUnavailableError(`Janus ${this.id} is down`, this.id);
    return this.link;
  }

  /** Makes the first attempt; on failure, later attempts run in the background. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** Stops reconnecting, destroys the control session and closes both sockets. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const link = this.link;
    this.link = undefined;
    if (link) await this.release(link);
  }

  /** Destroys the session first, so Janus frees its handles now rather than at session_timeout. */
  private async release(link: JanusLink): Promise<void> {
    const ms = this.timings.requestTimeoutMs;
    await janusRequest(this.id, "destroy session", ms, link.session.destroy()).catch(() => undefined);
    await teardown(link);
  }

  private async attempt(): Promise<void> {
    let link: JanusLink;
    try {
      link = await this.connect();
    } catch (error) {
      this.failures++;
      const delay = backoff(this.failures, this.timings.reconnectBaseMs, this.timings.reconnectMaxMs);
      if (this.failures === 1 || this.failures % 10 === 0)
        this.logger?.warn(
          { janus: this.id, err: (error as Error).message, attempt: this.failures, retryInMs: delay },
          "Janus unreachable",
        );
      this.schedule(delay);
      return;
    }
    if (this.closed) {
      await teardown(link);
      return;
    }
    this.failures = 0;
    this.link = link;
    this.watch(link);
    this.logger?.info({ janus: this.id, session: link.session.id }, "Janus connected");
    this.emit("up");
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.attempt(), delay);
    // A pool waiting to reconnect must not keep the process alive on its own.
    this.retry.unref();
  }

  private async connect(): Promise<JanusLink> {
    const { id, url, apiSecret, adminUrl, adminSecret } = this.config;
    const ms = this.timings.requestTimeoutMs;
    // Retries are ours (backoff, `down` events), so janode makes a single attempt.
    const opened: JanodeConnection[] = [];
    try {
      const connection = await janusRequest(
        id,
        "connect",
        ms,
        Janode.connect({ address: { url, apisecret: apiSecret }, max_retries: 0 }),
      );
      opened.push(connection);
      const admin = await janusRequest(
        id,
        "connect admin API",
        ms,
        Janode.connect({
          address: { url: adminUrl, apisecret: adminSecret },
          is_admin: true,
          max_retries: 0,
        }),
      );
      opened.push(admin);
      const session = await janusRequest(
        id,
        "create session",
        ms,
        connection.create(this.timings.keepAliveSecs),
      );
      const manager = await janusRequest(id, "attach videoroom", ms, session.attach(VideoRoomPlugin));
      return { connection, session, manager, admin };
    } catch (error) {
      await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
      throw error;
    }
  }

  /** Any part of the link lost ends the whole link. */
  private watch(link: JanusLink): void {
    const lost = (reason: string) => {
      if (this.link !== link) return;
      this.link = undefined;
      this.logger?.warn({ janus: this.id, reason }, "Janus lost");
      void teardown(link);
      this.emit("down", reason);
      this.schedule(backoff(1, this.timings.reconnectBaseMs, this.timings.reconnectMaxMs));
    };
    const { EVENT } = Janode;
    link.connection.once(EVENT.CONNECTION_ERROR, () => lost("connection to Janus lost"));
    link.connection.once(EVENT.CONNECTION_CLOSED, () => lost("connection to Janus closed"));
    link.admin.once(EVENT.CONNECTION_ERROR, () => lost("admin connection to Janus lost"));
    link.admin.once(EVENT.CONNECTION_CLOSED, () => lost("admin connection to Janus closed"));
    link.session.once(EVENT.SESSION_DESTROYED, () => lost("Janus session ended"));
    link.manager.once(EVENT.HANDLE_DETACHED, () => lost("Janus room manager detached"));
  }
}

/** min(max, base·2^(n−1)) × 0.5–1: reconnecting servers do not all knock at once. */
function backoff(failures: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

async function teardown(link: JanusLink): Promise<void> {
  // close() throws when a socket is already closed: that is the state we want.
  await Promise.all([
    link.connection.close().catch(() => undefined),
    link.admin.close().catch(() => undefined),
  ]);
}
