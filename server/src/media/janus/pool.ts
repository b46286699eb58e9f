/**
 * The homeserver's Janus facade (F21: every call's media is anchored on a VideoRoom room that
 * the homeserver controls). A pool of one or more Janus instances: a new room goes to the
 * least loaded instance that is up (rooms plus handles it holds for us), and everything about
 * a room (its secret, its participants' handles) is kept here so callers hold only a
 * `JanusRoomRef` and string handle ids.
 *
 * When an instance is lost, its rooms and handles are dropped at once and `instanceDown` says
 * which, so the calls on them can be ended with a reason; the rooms themselves may still exist
 * in a Janus that only lost our connection, so they are destroyed once it is back.
 *
 * Calls to SIP (F22) go through the SIP plugin (sip.ts) on the least loaded instance too, and
 * report their progress as `sip` events.
 */
import { EventEmitter } from "node:events";
import Janode from "janode";
import { janusRequest, JanusUnavailableError, VIDEOROOM_NO_SUCH_ROOM, JanusError } from "./errors.js";
import { JanusInstance } from "./instance.js";
import { Participants, roomKey } from "./participants.js";
import { SipLines } from "./sip.js";
import type {
  CreateRoomOptions,
  IceCandidate,
  JanusInstanceInventory,
  JanusInstanceStatus,
  JanusPoolEvents,
  JanusPoolOptions,
  JanusRoomInfo,
  JanusRoomRef,
  PublishOptions,
  PublishResult,
  SipAccount,
  SipCallOptions,
  SubscribeResult,
} from "./types.js";

interface Room {
  ref: JanusRoomRef;
  secret: string;
}

/** Two publishers: a call's two parties (a bridge to SIP joins as one of them). */
const PUBLISHERS_PER_ROOM = 2;

export class JanusPool extends EventEmitter<JanusPoolEvents> {
  private readonly instances = new Map<string, JanusInstance>();
  private readonly rooms = new Map<string, Room>();
  /** Rooms of a lost link, destroyed when the instance is back: Janus keeps rooms without sessions. */
  private readonly orphans = new Map<string, Room[]>();
  /** Rooms being created, so concurrent creations spread over instances. */
  private readonly creating = new Map<string, number>();
  private readonly participants: Participants;
  private readonly sip: SipLines;
  private readonly timeoutMs: number;

  /** Connects to every instance (one attempt each; the failed ones keep trying in the background). */
  static async open(options: JanusPoolOptions): Promise<JanusPool> {
    const pool = new JanusPool(options);
    await Promise.all([...pool.instances.values()].map((i) => i.start()));
    return pool;
  }

  private constructor(options: JanusPoolOptions) {
    super();
    if (options.instances.length === 0) throw new Error("JanusPool: no Janus instance configured");
    // janode logs to the console by itself; what matters reaches us as rejections and events.
    Janode.Logger.setLevel("none");
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.participants = new Participants(this.timeoutMs);
    this.sip = new SipLines(this.timeoutMs, (event) => this.emit("sip", event));
    const timings = {
      reconnectBaseMs: options.reconnectBaseMs ?? 500,
      reconnectMaxMs: options.reconnectMaxMs ?? 15_000,
      requestTimeoutMs: this.timeoutMs,
      keepAliveSecs: options.keepAliveSecs ?? 15,
    };
    for (const config of options.instances) {
      if (this.instances.has(config.id)) throw new Error(`JanusPool: instance id ${config.id} given twice`);
      const instance = new JanusInstance(config, timings, options.logger);
      instance.on("down", (reason) => this.lost(instance, reason));
      instance.on("up", () => {
        void this.destroyOrphans(instance);
        this.emit("instanceUp", { instance: instance.id });
      });
      this.instances.set(config.id, instance);
    }
  }

  status(): JanusInstanceStatus[] {
    return [...this.instances.values()].map((i) => ({
      id: i.id,
      up: i.up,
      rooms: this.roomsOn(i.id).length,
      handles: this.participants.countOn(i.id) + this.sip.countOn(i.id),
    }));
  }

  /** Creates a private room (two publishers, Opus and VP8) on the least loaded instance. */
  async createRoom(opts: CreateRoomOptions): Promise<JanusRoomRef> {
    const instance = this.leastLoaded();
    this.creating.set(instance.id, (this.creating.get(instance.id) ?? 0) + 1);
    try {
      const created = await janusRequest(
        instance.id,
        "create room",
        this.timeoutMs,
        instance.current().manager.create({
          description: opts.description ?? "callsign",
          is_private: true,
          secret: opts.secret,
          admin_key: opts.adminKey ?? instance.config.roomAdminKey,
          max_publishers: PUBLISHERS_PER_ROOM,
          audiocodec: "opus",
          videocodec: "vp8",
          permanent: false,
        }),
      );
      const ref = { instance: instance.id, room: created.room };
      this.rooms.set(roomKey(ref), { ref, secret: opts.secret });
      return ref;
    } finally {
      this.creating.set(instance.id, this.creating.get(instance.id)! - 1);
    }
  }

  /**
   * Takes on a room this pool did not create — one another process (or this one before a
   * restart) made, whose secret the caller knows — so it can be joined and destroyed here.
   */
  adoptRoom(ref: JanusRoomRef, secret: string): void {
    if (!this.instances.has(ref.instance)) throw new Error(`no Janus instance ${ref.instance}`);
    if (!this.rooms.has(roomKey(ref))) this.rooms.set(roomKey(ref), { ref, secret });
  }

  /** Detaches the room's handles, then destroys it. Done already (or lost with its instance): nothing to do. */
  async destroyRoom(ref: JanusRoomRef): Promise<void> {
    const room = this.rooms.get(roomKey(ref));
    if (!room) return;
    await Promise.all(this.participants.inRoom(ref).map((id) => this.participants.leave(id)));
    const instance = this.instance(ref.instance);
    try {
      await janusRequest(
        ref.instance,
        "destroy room",
        this.timeoutMs,
        instance.current().manager.destroy({ room: ref.room, secret: room.secret }),
      );
    } catch (error) {
      if (!(error instanceof JanusError && error.code === VIDEOROOM_NO_SUCH_ROOM)) throw error;
    }
    this.rooms.delete(roomKey(ref));
  }

  async publish(room: JanusRoomRef, opts: PublishOptions): Promise<PublishResult> {
    return this.participants.publish(this.roomInstance(room), room, opts);
  }

  async subscribe(room: JanusRoomRef, feedId: number): Promise<SubscribeResult> {
    return this.participants.subscribe(this.roomInstance(room), room, feedId);
  }

  /** Resolves once Janus has the handle's media up; a feed takes subscribers only from then on. */
  mediaUp(handleId: string, timeoutMs?: number): Promise<void> {
    return this.participants.mediaUp(handleId, timeoutMs);
  }

  startSubscription(handleId: string, answerSdp: string): Promise<void> {
    return this.participants.start(handleId, answerSdp);
  }

  /** A candidate of the WebRTC peer of a room participant or of a SIP call. */
  trickle(handleId: string, candidate: IceCandidate | null): Promise<void> {
    if (this.sip.has(handleId)) return this.sip.trickle(handleId, candidate);
    return this.participants.trickle(handleId, candidate);
  }

  leave(handleId: string): Promise<void> {
    return this.participants.leave(handleId);
  }

  /** Rings `opts.to` from the least loaded instance; resolves once Janus took the call on (then `sip` events). */
  async sipCall(opts: SipCallOptions): Promise<{ handleId: string }> {
    return { handleId: await this.sip.call(this.leastLoaded(), opts) };
  }

  /**
   * Ends the call (or declines an incoming one, with the SIP status `declineCode`: default 486);
   * resolves once its `hangup` is reported. Unknown handle: no-op.
   */
  sipHangup(handleId: string, declineCode?: number): Promise<void> {
    return this.sip.hangup(handleId, declineCode);
  }

  /**
   * Registers `account` so its calls reach us as `incoming` events on the handle returned, or on
   * one of its `helpers` (default none) while it has a call: 1 + `helpers` calls at a time.
   */
  sipRegister(account: SipAccount, helpers = 0): Promise<{ handleId: string; helperIds: string[] }> {
    return this.sip.register(this.leastLoaded(), account, helpers);
  }

  /** Answers an `incoming` call with the WebRTC side's answer. */
  sipAccept(handleId: string, answerSdp: string): Promise<void> {
    return this.sip.accept(handleId, answerSdp);
  }

  /** Whether the SIP handle is still ours (a registered line stays until unregistered or lost with its instance). */
  sipHas(handleId: string): boolean {
    return this.sip.has(handleId);
  }

  /** Ends the registered handle's call, if any, and detaches it. */
  sipUnregister(handleId: string): Promise<void> {
    return this.sip.unregister(handleId);
  }

  /** The instance's rooms, private ones included, as its videoroom plugin lists them. */
  async listRooms(instanceId: string): Promise<JanusRoomInfo[]> {
    const instance = this.instance(instanceId);
    const { list } = await janusRequest(
      instanceId,
      "list rooms",
      this.timeoutMs,
      instance.current().manager.list({ admin_key: instance.config.roomAdminKey }),
    );
    return list.map((r) => ({
      room: r.room,
      description: r.description,
      participants: r.num_participants,
      maxPublishers: r.max_publishers,
      audioCodec: r.audiocodec,
      videoCodec: r.videocodec,
    }));
  }

  /** Every session and handle on the instance (admin API), and which of them are the pool's own. */
  async inventory(instanceId: string): Promise<JanusInstanceInventory> {
    const link = this.instance(instanceId).current();
    const ask = <T>(what: string, p: Promise<T>) => janusRequest(instanceId, what, this.timeoutMs, p);
    const { sessions } = await ask("list sessions", link.admin.listSessions());
    const withHandles = await Promise.all(
      sessions.map(async (id) => ({
        id,
        handles: (await ask("list handles", link.admin.listHandles(id))).handles,
      })),
    );
    return { sessions: withHandles, own: { session: link.session.id, handle: link.manager.id } };
  }

  /** Hangs up SIP calls, destroys our rooms (Janus would keep them until it restarts), then closes every instance. */
  async close(): Promise<void> {
    await this.sip.closeAll();
    await Promise.all([...this.rooms.values()].map((r) => this.destroyRoom(r.ref).catch(() => undefined)));
    await Promise.all([...this.instances.values()].map((i) => i.close()));
    this.removeAllListeners();
  }

  private leastLoaded(): JanusInstance {
    let best: JanusInstance | undefined;
    let bestLoad = Infinity;
    for (const instance of this.instances.values()) {
      if (!instance.up) continue;
      const id = instance.id;
      const handles = this.participants.countOn(id) + this.sip.countOn(id);
      const load = this.roomsOn(id).length + handles + (this.creating.get(id) ?? 0);
      if (load < bestLoad) [best, bestLoad] = [instance, load];
    }
    if (!best) throw new JanusUnavailableError("no Janus instance is up");
    return best;
  }

  private instance(id: string): JanusInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new JanusError(`no Janus instance ${id} in this pool`, id);
    return instance;
  }

  private roomInstance(ref: JanusRoomRef): JanusInstance {
    if (!this.rooms.has(roomKey(ref)))
      throw new JanusError(
        `room ${ref.room} is not held on Janus ${ref.instance} (destroyed or lost)`,
        ref.instance,
      );
    return this.instance(ref.instance);
  }

  private roomsOn(instanceId: string): Room[] {
    return [...this.rooms.values()].filter((r) => r.ref.instance === instanceId);
  }

  private lost(instance: JanusInstance, reason: string): void {
    const rooms = this.roomsOn(instance.id);
    for (const r of rooms) this.rooms.delete(roomKey(r.ref));
    this.orphans.set(instance.id, [...(this.orphans.get(instance.id) ?? []), ...rooms]);
    const handles = [
      ...this.participants.dropInstance(instance.id),
      ...this.sip.dropInstance(instance.id, reason),
    ];
    this.emit("instanceDown", { instance: instance.id, reason, rooms: rooms.map((r) => r.ref), handles });
  }

  private async destroyOrphans(instance: JanusInstance): Promise<void> {
    const rooms = this.orphans.get(instance.id) ?? [];
    this.orphans.delete(instance.id);
    for (const { ref, secret } of rooms) {
      // Best effort: a restarted Janus no longer has them (426), and a link lost again drops them.
      try {
        const { manager } = instance.current();
        await janusRequest(
          instance.id,
          "destroy orphan room",
          this.timeoutMs,
          manager.destroy({ room: ref.room, secret }),
        );
      } catch {
        // Nothing better to do: the room holds no session of ours.
      }
    }
  }
}
