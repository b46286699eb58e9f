/**
 * The Janus handles of room participants (publishers and subscribers), kept by our own string
 * id so callers never hold a janode object or a Janus number that a reconnection would reuse.
 * Each handle lives in its instance's control session: when that session is lost, Janus frees
 * the handles and `dropInstance` forgets them here.
 */
import { randomUUID } from "node:crypto";
import Janode from "janode";
import VideoRoomPlugin, { type VideoRoomHandle } from "janode/plugins/videoroom";
import { JanusError, janusRequest } from "./errors.js";
import type { JanusInstance } from "./instance.js";
import type { IceCandidate, JanusRoomRef, PublishOptions, PublishResult, SubscribeResult } from "./types.js";

interface Participant {
  instance: string;
  /** `roomKey()` of the room it joined. */
  room: string;
  handle: VideoRoomHandle;
  /** Settles when Janus says the handle's PeerConnection is up (webrtcup); fails if it goes first. */
  mediaUp: Promise<void>;
}

export function roomKey(ref: JanusRoomRef): string {
  return `${ref.instance}/${ref.room}`;
}

export class Participants {
  private readonly byId = new Map<string, Participant>();

  constructor(private readonly timeoutMs: number) {}

  /** How many handles an instance holds for us (part of its load). */
  countOn(instance: string): number {
    let n = 0;
    for (const p of this.byId.values()) if (p.instance === instance) n++;
    return n;
  }

  /** Our ids of the handles in a room. */
  inRoom(room: JanusRoomRef): string[] {
    const key = roomKey(room);
    return [...this.byId].filter(([, p]) => p.room === key).map(([id]) => id);
  }

  /** Joins `room` as a publisher with the peer's offer; Janus answers. */
  async publish(instance: JanusInstance, room: JanusRoomRef, opts: PublishOptions): Promise<PublishResult> {
    const { id, handle } = await this.attach(instance, room);
    try {
      const joined = await this.request(
        instance,
        "publish",
        handle.joinConfigurePublisher({
          room: room.room,
          display: opts.display,
          ...(opts.video === false && { video: false }),
          jsep: { type: "offer", sdp: opts.offerSdp },
        }),
      );
      if (joined.jsep?.type !== "answer")
        throw new JanusError("publish: Janus sent no SDP answer", instance.id);
      return { handleId: id, feedId: joined.feed, answerSdp: joined.jsep.sdp };
    } catch (error) {
      await this.leave(id);
      throw error;
    }
  }

  /** Joins `room` as a subscriber of `feedId`; Janus offers, the answer goes to `start`. */
  async subscribe(instance: JanusInstance, room: JanusRoomRef, feedId: number): Promise<SubscribeResult> {
    const { id, handle } = await this.attach(instance, room);
    try {
      const joined = await this.request(
        instance,
        "subscribe",
        handle.joinSubscriber({ room: room.room, feed: feedId }),
      );
      if (joined.jsep?.type !== "offer")
        throw new JanusError("subscribe: Janus sent no SDP offer", instance.id);
      return { handleId: id, offerSdp: joined.jsep.sdp };
    } catch (error) {
      await this.leave(id);
      throw error;
    }
  }

  async start(handleId: string, answerSdp: string): Promise<void> {
    const { instance, handle } = this.get(handleId);
    await this.request(
      instance,
      "start subscription",
      handle.start({ jsep: { type: "answer", sdp: answerSdp } }),
    );
  }

  /** Passes on a peer's candidate; `null` says the peer has no more. */
  async trickle(handleId: string, candidate: IceCandidate | null): Promise<void> {
    const { instance, handle } = this.get(handleId);
    const sent = candidate
      ? handle.trickle({
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        })
      : handle.trickleComplete();
    await this.request(instance, "trickle", sent);
  }

  /**
   * Resolves once Janus has the handle's PeerConnection up (ICE and DTLS done on its side).
   * A publisher's feed takes subscribers only from then on (before, Janus answers "no such feed").
   */
  async mediaUp(handleId: string, timeoutMs = this.timeoutMs): Promise<void> {
    const { instance, mediaUp } = this.get(handleId);
    await janusRequest(instance, "wait for media", timeoutMs, mediaUp);
  }

  /**
   * Detaches the handle: Janus removes the participant from its room and closes its
   * PeerConnection. Safe for an unknown id (already left, or lost with its instance).
   */
  async leave(handleId: string): Promise<void> {
    const p = this.byId.get(handleId);
    if (!p) return;
    this.byId.delete(handleId);
    // janode already logs and swallows Janus's refusals here; a handle Janus kept anyway goes
    // with the control session, so there is nothing better to do with an error than drop it.
    await janusRequest(p.instance, "detach", this.timeoutMs, p.handle.detach()).catch(() => undefined);
  }

  /** Forgets the handles of a lost instance (Janus frees them with the session) and says which. */
  dropInstance(instance: string): string[] {
    const gone = [...this.byId].filter(([, p]) => p.instance === instance).map(([id]) => id);
    for (const id of gone) this.byId.delete(id);
    return gone;
  }

  private async attach(
    instance: JanusInstance,
    room: JanusRoomRef,
  ): Promise<{ id: string; handle: VideoRoomHandle }> {
    const { session } = instance.current();
    const handle = await this.request(instance, "attach", session.attach(VideoRoomPlugin));
    const id = randomUUID();
    let settle: (error?: Error) => void = () => undefined;
    const mediaUp = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    mediaUp.catch(() => undefined); // nobody may be waiting for it
    this.byId.set(id, { instance: instance.id, room: roomKey(room), handle, mediaUp });
    handle.once(Janode.EVENT.HANDLE_WEBRTCUP, () => settle());
    // Detached by us, by Janus (e.g. after `kick`) or with the session: forget it.
    handle.once(Janode.EVENT.HANDLE_DETACHED, () => {
      settle(new JanusError("the handle left before its media was up", instance.id));
      if (this.byId.get(id)?.handle === handle) this.byId.delete(id);
    });
    return { id, handle };
  }

  private get(handleId: string): Participant {
    const p = this.byId.get(handleId);
    if (!p) throw new JanusError(`no Janus handle ${handleId} (it left, or its instance went down)`, "");
    return p;
  }

  private request<T>(instance: JanusInstance | string, what: string, request: Promise<T>): Promise<T> {
    const id = typeof instance === "string" ? instance : instance.id;
    return janusRequest(id, what, this.timeoutMs, request);
  }
}
