/**
 * Call media through Janus (spec/media.md): an answered call's media room on the pool's least
 * loaded gateway, each party's publisher and subscriptions, the guests' no-video rule, and the
 * room's end with the call. The homeserver is the gateway's only client: a room's secret is
 * derived from the server secret and the call ID, so any process (or this one after a restart)
 * can take the room on or destroy it, and rooms of calls that are over are swept.
 *
 * Janus handles belong to this process's Janus session: a party's later requests (an answer,
 * candidates) must reach the process that made the handle (spec/media.md "Deployment").
 */
import { randomBytes } from "node:crypto";
import { CallState, PbxState } from "../../../protocol/callsign/calls.js";
import type { PbxBridge } from "./pbx-bridge.js";
import type { PbxLines } from "./pbx-lines.js";
import type {
  MediaView,
  PublishView,
  SubscriptionView,
  TrickleRequest,
} from "../../../protocol/callsign/media.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type { Requester } from "../services/requester.js";
import type { StreamWriter } from "../services/stream-writer.js";
import type { CallRow } from "../storage/repositories/calls.js";
import { CallsRepo } from "../storage/repositories/calls.js";
import { MediaRepo } from "../storage/repositories/media.js";
import { badState, gatewayOf, ref, unavailable, viaGateway } from "./media-errors.js";
import type { MediaRooms } from "./media-rooms.js";
import type { JanusPool } from "./janus/pool.js";
import type { JanusRoomRef } from "./janus/types.js";
import { activeVideo, inactiveForRejected, withoutVideo } from "./sdp-policy.js";
import type { MediaEvents } from "./media-events.js";
import { mediaView } from "./media-view.js";

/** The handles this process holds for one call. */
interface CallHandles {
  publishers: Map<string, string>;
  subscriptions: Map<string, { userId: string; handleId: string }>;
}

/** The subscription ID of a PBX caller's leg (spec/services.md "Calls from your PBX"). */
const PBX_LEG = "pbx";

/** How long a publisher's connection may take to come up before its feed is given up. */
const FEED_UP_MS = 20_000;

export class MediaService {
  private readonly handles = new Map<string, CallHandles>();
  private pbx: PbxBridge | undefined;
  private lines: PbxLines | undefined;

  constructor(
    private readonly writer: StreamWriter,
    private readonly pool: JanusPool | undefined,
    private readonly events: MediaEvents,
    private readonly logger: { warn(obj: object, msg: string): void },
    private readonly rooms: MediaRooms,
  ) {}

  /** Calls to services with a SIP trunk ring the company's PBX through `bridge`. */
  useBridge(bridge: PbxBridge, lines: PbxLines): void {
    this.pbx = bridge;
    this.lines = lines;
  }

  /** The call's media as `r` (a party) sees it. */
  async view(r: Requester, callId: string): Promise<MediaView> {
    await this.party(r, callId, false);
    const [room, feeds] = await this.writer.read(
      async (sql) => [await new MediaRepo(sql).room(callId), await new MediaRepo(sql).feeds(callId)] as const,
    );
    return mediaView(!!room, feeds);
  }

  /** Publishes (or publishes anew) the party's media; a guest's video is rejected in the offer. */
  async publish(r: Requester, callId: string, offer: string): Promise<PublishView> {
    const found = await this.writer.read((sql) => new CallsRepo(sql).get(callId));
    // A call waiting for the PBX: the caller's offer rings it (audio only, like a guest's).
    if (found?.pbx === PbxState.Waiting && found.callerId === r.userId && found.state === CallState.Queued) {
      if (!this.pbx) throw unavailable("This provider has no media gateway for the PBX");
      return this.pbx.ring(found, withoutVideo(offer));
    }
    const call = partyOf(r, found, true);
    const pool = this.gateway();
    const offerSdp = r.isGuest ? withoutVideo(offer) : offer;
    await this.leavePublisher(callId, r.userId);
    const published = await viaGateway(() =>
      this.rooms.inRoom(call, (room) =>
        pool.publish(ref(room), { display: r.userId, offerSdp, ...(r.isGuest && { video: false }) }),
      ),
    );
    // The gateway answered with video for a guest: it does not reach anyone.
    if (r.isGuest && activeVideo(published.answerSdp)) {
      await pool.leave(published.handleId);
      throw new ProtocolError("M_INVALID_PARAM", "Guests publish no video; the gateway answered with video");
    }
    this.held(callId).publishers.set(r.userId, published.handleId);
    const video = activeVideo(published.answerSdp);
    // The feed is announced once its media is up at the gateway: only then does it take subscribers.
    void this.announce(call, r.userId, published.handleId, { feedId: published.feedId, video });
    return {
      sdp: inactiveForRejected(published.answerSdp, offerSdp),
      feed_id: String(published.feedId),
      video,
    };
  }

  private async announce(
    call: CallRow,
    userId: string,
    handleId: string,
    feed: { feedId: number; video: boolean },
  ) {
    try {
      await this.gateway().mediaUp(handleId, FEED_UP_MS);
      // Published anew meanwhile: the newer feed is the one to announce.
      if (this.handles.get(call.callId)?.publishers.get(userId) !== handleId) return;
      await this.writer.write(async (tx) => {
        // One feed change of a call at a time: the state written lists what the other wrote.
        await new MediaRepo(tx).room(call.callId, true);
        await new MediaRepo(tx).putFeed(call.callId, { userId, ...feed });
        await this.events.changed(tx, call, userId);
      });
    } catch (err) {
      this.logger.warn({ err, callId: call.callId, userId }, "a published feed never came up");
    }
  }

  /** Subscribes the party to the other side's feed: the gateway's offer, video-free from a guest. */
  async subscribe(r: Requester, callId: string, userId?: string): Promise<SubscriptionView> {
    const { call } = await this.party(r, callId, true);
    // A call from a PBX: its leg is the feed, and the taker answers the PBX's own offer.
    if (call.fromPbx && r.userId !== call.callerId) {
      if (!this.lines) throw unavailable("This provider has no media gateway for the PBX");
      return this.lines.offer(call);
    }
    const pool = this.gateway();
    const other = userId ?? (r.userId === call.callerId ? (call.operatorId ?? call.calleeId) : call.callerId);
    const [room, feeds] = await this.writer.read(
      async (sql) => [await new MediaRepo(sql).room(callId), await new MediaRepo(sql).feeds(callId)] as const,
    );
    const feed = feeds.find((f) => f.userId === other);
    if (!room || !feed || other === r.userId) {
      throw new ProtocolError("M_NOT_FOUND", "That party publishes nothing in this call yet");
    }
    this.rooms.adopt(room);
    const subscribed = await viaGateway(() => pool.subscribe(ref(room), feed.feedId));
    const id = randomBytes(9).toString("base64url");
    this.held(callId).subscriptions.set(id, { userId: r.userId, handleId: subscribed.handleId });
    const fromGuest = other === call.callerId && !call.video;
    const sdp = fromGuest ? withoutVideo(subscribed.offerSdp) : subscribed.offerSdp;
    return { subscription_id: id, user_id: other, sdp };
  }

  async answer(r: Requester, callId: string, subscriptionId: string, sdp: string): Promise<void> {
    const { call } = await this.party(r, callId, true);
    if (subscriptionId === PBX_LEG && call.fromPbx && this.lines) {
      return viaGateway(() => this.lines!.accept(callId, sdp));
    }
    const handleId = this.subscription(r, callId, subscriptionId);
    await viaGateway(() => this.gateway().startSubscription(handleId, sdp));
  }

  /** Ends one of the party's subscriptions; its gateway handle goes at once. */
  async unsubscribe(r: Requester, callId: string, subscriptionId: string): Promise<void> {
    await this.party(r, callId, false);
    const handleId = this.subscription(r, callId, subscriptionId);
    this.handles.get(callId)!.subscriptions.delete(subscriptionId);
    await this.pool?.leave(handleId).catch(() => undefined);
  }

  async trickle(r: Requester, callId: string, req: TrickleRequest): Promise<void> {
    const { call } = await this.party(r, callId, true);
    const handleId =
      req.target === "publisher"
        ? // A caller's publisher is its line to the PBX when the PBX answered the call.
          (this.handles.get(callId)?.publishers.get(r.userId) ??
          (r.userId === call.callerId ? this.pbx?.lineOf(callId) : undefined))
        : req.target === PBX_LEG && call.fromPbx
          ? this.lines?.handleOf(callId)
          : this.subscription(r, callId, req.target);
    if (!handleId) throw new ProtocolError("M_INVALID_PARAM", "Publish before sending its candidates");
    const pool = this.gateway();
    for (const c of req.candidates) {
      await viaGateway(() =>
        pool.trickle(handleId, {
          candidate: c.candidate,
          sdpMid: c.sdpMid ?? undefined,
          sdpMLineIndex: c.sdpMLineIndex ?? undefined,
        }),
      );
    }
    if (req.completed) await viaGateway(() => pool.trickle(handleId, null));
  }

  /** The call is over (or back in a queue): its room goes, with every handle in it. */
  async closed(callId: string): Promise<void> {
    await this.pbx?.hangup(callId);
    await this.lines?.hangup(callId);
    this.handles.delete(callId);
    await this.rooms.destroy(callId);
  }

  /** A web operator (or the subscriber) answered: a PBX still ringing for the call hangs up. */
  async takenOnWeb(callId: string): Promise<void> {
    await this.pbx?.takenOnWeb(callId);
  }

  /** A party left an answered call (an operator who transferred it): their handles go, the rest stays. */
  async left(call: CallRow, userId: string): Promise<void> {
    await this.leavePublisher(call.callId, userId);
    const held = this.handles.get(call.callId);
    for (const [id, s] of held?.subscriptions ?? []) {
      if (s.userId !== userId) continue;
      held!.subscriptions.delete(id);
      await this.pool?.leave(s.handleId).catch(() => undefined);
    }
    await this.writer.write(async (tx) => {
      await new MediaRepo(tx).room(call.callId, true);
      await new MediaRepo(tx).dropFeed(call.callId, userId);
      await this.events.changed(tx, call, userId);
    });
  }

  /** Destroys the rooms of calls that are no longer answered (at start and by housekeeping). */
  async sweep(): Promise<number> {
    const stale = await this.writer.read((sql) => new MediaRepo(sql).stale());
    for (const room of stale) await this.closed(room.callId);
    return stale.length;
  }

  /** The call anchored on a room a gateway lost, if any. */
  async callOn(room: JanusRoomRef): Promise<string | undefined> {
    return this.writer.read((sql) => new MediaRepo(sql).callOn(room.instance, room.room));
  }

  private async leavePublisher(callId: string, userId: string): Promise<void> {
    const held = this.handles.get(callId);
    const handleId = held?.publishers.get(userId);
    if (!handleId) return;
    held!.publishers.delete(userId);
    await this.pool?.leave(handleId).catch(() => undefined);
  }

  /** Who `r` is to the call: its caller or the party that answered it; `live`: the call must be answered. */
  private async party(r: Requester, callId: string, live: boolean): Promise<{ call: CallRow }> {
    return { call: partyOf(r, await this.writer.read((sql) => new CallsRepo(sql).get(callId)), live) };
  }

  private subscription(r: Requester, callId: string, id: string): string {
    const s = this.handles.get(callId)?.subscriptions.get(id);
    if (!s || s.userId !== r.userId) throw new ProtocolError("M_INVALID_PARAM", "No such subscription");
    return s.handleId;
  }

  private held(callId: string): CallHandles {
    let h = this.handles.get(callId);
    if (!h) this.handles.set(callId, (h = { publishers: new Map(), subscriptions: new Map() }));
    return h;
  }

  private gateway(): JanusPool {
    return gatewayOf(this.pool);
  }
}

/** The call when `r` is its caller or the party that answered it; `live`: it must be answered now. */
function partyOf(r: Requester, call: CallRow | undefined, live: boolean): CallRow {
  const answerer = call && (call.operatorId ?? call.calleeId);
  if (!call || (r.userId !== call.callerId && r.userId !== answerer)) {
    throw new ProtocolError("M_NOT_FOUND", "No such call");
  }
  if (live && call.state !== CallState.Answered) throw badState(call);
  return call;
}
