/**
 * A party's media in an answered call, without its screen: takes the microphone (and the camera,
 * unless a guest: guests never send video, spec/media.md), publishes them, and subscribes to the
 * other side's feed as soon as GET …/media lists it — read at the start, after publishing, and
 * whenever the call room's `io.callsign.media` state changes (through sync) — anew when the feed
 * changes (the next operator after a transfer), and dropped when it goes. A call to or from a
 * company's PBX carries sound only, both ways on one connection. A connection that fails is made
 * anew (twice at most). `close()` stops every track and closes every connection.
 */
import { RoomStateEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { CallState, PbxState, type CallView } from "../../../protocol/callsign/calls.js";
import { MEDIA_STATE_EVENT, type FeedView, type MediaView } from "../../../protocol/callsign/media.js";
import { ProtocolError, type MediaApi } from "../../sdk/src/index.js";
import { publish, subscribe, type Published, type Subscription } from "./media-peers.js";

export interface CallMediaEvents {
  /** The user's own tracks (null: none could be opened, or they were stopped as nothing is sent). */
  onLocal: (stream: MediaStream | null) => void;
  /** The other side's tracks, or null while no feed of theirs is received. */
  onRemote: (stream: MediaStream | null, feed: FeedView | null) => void;
  /** A line on how the media stands. */
  onStatus: (text: string) => void;
  /** A request failed: no gateway answers (`IO_CALLSIGN_MEDIA_UNAVAILABLE`), a refused SDP… */
  onError: (error: unknown) => void;
}

export interface CallMedia {
  /** The connections open now (for the connection's statistics). */
  connections: () => RTCPeerConnection[];
  close: () => void;
}

/** The subscription (and feed) ID of a PBX caller's leg. */
const PBX_LEG = "pbx";

/** How many times a failed connection is made anew before giving up. */
const RETRIES = 2;

export function startCallMedia(
  client: MatrixClient,
  media: MediaApi,
  call: CallView,
  guest: boolean,
  events: CallMediaEvents,
): CallMedia {
  const me = client.getSafeUserId();
  const fromPbx = !!call.from_pbx && call.caller.user_id !== me;
  let closed = false;
  let local: MediaStream | null = null;
  let published: Published | null = null;
  let sub: Subscription | null = null;
  /** The feed being subscribed to (set before the request, so one feed gets one subscription). */
  let wanted: string | null = null;
  const failures = { publisher: 0, subscription: 0 };
  const config: Promise<RTCConfiguration> = iceServers(client);

  const dropSubscription = () => {
    sub?.pc.close();
    // The server lets go of the gateway handle now rather than when the call ends.
    if (sub) void media.unsubscribe(call.call_id, sub.id).catch(() => undefined);
    sub = null;
    wanted = null;
    events.onRemote(null, null);
  };

  const onFeeds = (view: MediaView) => {
    // A PBX caller's leg is no feed of the room: it is answered once, below.
    if (closed || fromPbx) return;
    const other = view.open ? view.feeds.find((f) => f.user_id !== me) : undefined;
    if (!other) {
      if (wanted) dropSubscription();
      return;
    }
    if (wanted === other.feed_id) return;
    if (wanted) dropSubscription();
    wanted = other.feed_id;
    void (async () => {
      const made = await subscribe(
        media,
        call.call_id,
        { userId: other.user_id, feedId: other.feed_id },
        await config,
        (stream) => wanted === other.feed_id && events.onRemote(stream, other),
        events.onError,
      );
      if (closed || wanted !== other.feed_id) return made.pc.close();
      sub = made;
      watchFailure(made.pc, "subscription", () => {
        dropSubscription();
        void readFeeds();
      });
    })().catch((error: unknown) => {
      if (wanted === other.feed_id) wanted = null;
      // The feed went meanwhile: the state event that says so follows, and a read with it.
      if (!closed && !isGone(error)) events.onError(error);
    });
  };

  const watchFailure = (pc: RTCPeerConnection, kind: keyof typeof failures, retry: () => void) => {
    pc.addEventListener("connectionstatechange", () => {
      if (closed || pc.connectionState !== "failed") return;
      if (failures[kind]++ < RETRIES) return retry();
      events.onStatus(
        kind === "publisher"
          ? "Your media could not reach the call."
          : "The other side's media could not reach you.",
      );
    });
  };

  const startPublishing = async () => {
    if (!local) return;
    events.onStatus("Connecting…");
    published?.pc.close();
    published = await publish(media, call.call_id, local, await config, events.onError);
    if (closed) return published.pc.close();
    events.onStatus("");
    watchFailure(published.pc, "publisher", () => void startPublishing().catch(events.onError));
  };

  // The room's `io.callsign.media` state says that the feeds changed; what they are now is read
  // with GET …/media, one read at a time and once more if the state changed meanwhile. Its
  // content is not used as is: two parties publishing at once can each write a view that lacks
  // the other's feed (a server-side race), while the read after the later event sees both.
  let reading = false;
  let again = false;
  const readFeeds = async () => {
    if (reading) return void (again = true);
    reading = true;
    try {
      do {
        again = false;
        const view = await media.view(call.call_id);
        if (!closed) onFeeds(view);
      } while (again && !closed);
    } catch (error) {
      if (!closed) events.onError(error);
    } finally {
      reading = false;
    }
  };
  const onState = (event: MatrixEvent) => {
    const ours = event.getRoomId() === call.room_id && event.getStateKey() === "";
    if (ours && event.getType() === MEDIA_STATE_EVENT) void readFeeds();
  };
  client.on(RoomStateEvent.Events, onState);
  void readFeeds();

  /**
   * A call waiting for the company's PBX (spec/services.md "Bridging to your PBX"): the caller's
   * sound rings it, and its sound comes back on the same connection once it answers. Taken on
   * the web meanwhile: false, and the call goes on as any answered call.
   */
  const ringPbx = async (): Promise<boolean> => {
    events.onStatus("Ringing the company's phone…");
    try {
      published = await publish(media, call.call_id, local!, await config, events.onError, (stream) =>
        events.onRemote(stream, null),
      );
    } catch (error) {
      if (error instanceof ProtocolError && error.extra.state === CallState.Answered) return false;
      throw error;
    }
    if (closed) published.pc.close();
    else events.onStatus("");
    return true;
  };

  /**
   * A call from a company's PBX (spec/services.md "Calls from your PBX"): its sound is the
   * feed, and the microphone answers on the same connection; nothing is published to a room.
   */
  const answerPbx = async () => {
    events.onStatus("Connecting to the caller's phone…");
    wanted = PBX_LEG;
    const made = await subscribe(
      media,
      call.call_id,
      { userId: call.caller.user_id, feedId: PBX_LEG },
      await config,
      (stream) => events.onRemote(stream, null),
      events.onError,
      local ?? undefined,
    );
    if (closed) return made.pc.close();
    sub = made;
    events.onStatus("");
  };

  void (async () => {
    const toPbx = call.pbx === PbxState.Waiting && call.caller.user_id === me;
    events.onStatus(guest ? "Starting your microphone…" : "Starting your camera and microphone…");
    local = await openDevices(guest || toPbx || fromPbx);
    if (closed) return stopTracks(local);
    events.onLocal(local);
    if (fromPbx) return answerPbx();
    if (!local) return events.onStatus("No microphone or camera could be opened: you can see and hear only.");
    if (toPbx && (await ringPbx())) return;
    await startPublishing();
    // The other side may have published before this page watched the room state.
    await readFeeds();
  })().catch((error: unknown) => {
    if (closed) return;
    // Nothing is sent: the camera goes off rather than stay lit for nobody.
    stopTracks(local);
    events.onLocal(null);
    events.onError(error);
  });

  return {
    connections: () => [published?.pc, sub?.pc].filter((pc): pc is RTCPeerConnection => !!pc),
    close: () => {
      if (closed) return;
      closed = true;
      client.off(RoomStateEvent.Events, onState);
      stopTracks(local);
      published?.pc.close();
      sub?.pc.close();
      sub = null;
      published = null;
    },
  };
}

/** Microphone and camera (microphone only for guests, or when no camera can be opened). */
async function openDevices(guest: boolean): Promise<MediaStream | null> {
  if (!navigator.mediaDevices?.getUserMedia) return null;
  if (!guest) {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch {
      // No camera (or it was refused): the microphone alone still makes a call.
    }
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  } catch {
    return null;
  }
}

function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The provider's TURN server, when it has one (`{}` otherwise, or refused: none). */
async function iceServers(client: MatrixClient): Promise<RTCConfiguration> {
  try {
    const turn = await client.turnServer();
    if (!turn?.uris?.length) return {};
    return { iceServers: [{ urls: turn.uris, username: turn.username, credential: turn.password }] };
  } catch {
    return {};
  }
}

/** The feed was gone by the time the subscription reached the server. */
const isGone = (error: unknown) => (error as { errcode?: string }).errcode === "M_NOT_FOUND";
