/**
 * The peer connections a party of a call holds with the media gateway: its publisher (its own
 * microphone and camera, sent only) and a subscription to the other side's feed (received only).
 * Signalling goes through the homeserver (spec/media.md): the publisher's offer and the
 * subscription's answer are posted there, and so are the candidates, once the server holds the
 * gateway handle they belong to — the publisher's after the publish answer, a subscription's
 * after its answer was posted. Until then they wait here.
 */
import type { PublishView } from "../../../protocol/callsign/media.js";
import type { MediaApi, Trickle } from "../../sdk/src/index.js";

/** The server takes at most this many candidates per request. */
const MAX_CANDIDATES = 50;
/** Candidates come in bursts: wait this long (ms) to send a burst as one request. */
const TRICKLE_BATCH_MS = 20;

export interface Published {
  pc: RTCPeerConnection;
  view: PublishView;
}

export interface Subscription {
  pc: RTCPeerConnection;
  /** The server's subscription ID (to end it there too). */
  id: string;
  /** The feed it receives. */
  feedId: string;
  /** The remote tracks, added as they arrive. */
  stream: MediaStream;
}

/**
 * Publishes `stream`'s tracks on the call; the caller closes the connection. With `onTrack`, the
 * connection also receives (a call to a company's PBX: its sound comes back on the same
 * connection, and the publish is answered only once the PBX answers).
 */
export async function publish(
  media: MediaApi,
  callId: string,
  stream: MediaStream,
  config: RTCConfiguration,
  onError: (error: unknown) => void,
  onTrack?: (stream: MediaStream) => void,
): Promise<Published> {
  const pc = new RTCPeerConnection({ ...config, bundlePolicy: "max-bundle" });
  try {
    for (const track of stream.getTracks()) {
      pc.addTransceiver(track, { direction: onTrack ? "sendrecv" : "sendonly", streams: [stream] });
    }
    if (onTrack) {
      const remote = new MediaStream();
      pc.ontrack = (e) => {
        remote.addTrack(e.track);
        onTrack(remote);
      };
    }
    const ready = trickle(
      pc,
      (request) => media.trickle(callId, { target: "publisher", ...request }),
      onError,
    );
    await pc.setLocalDescription(await pc.createOffer());
    const view = await media.publish(callId, pc.localDescription!.sdp);
    await pc.setRemoteDescription({ type: "answer", sdp: view.sdp });
    ready();
    return { pc, view };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/**
 * Subscribes to `userId`'s feed `feedId`; `onTrack` is called as each remote track arrives.
 * With `send`, its audio goes back on the same connection (a call from a company's PBX: the
 * taker answers the PBX's own offer). The caller closes the connection.
 */
export async function subscribe(
  media: MediaApi,
  callId: string,
  feed: { userId: string; feedId: string },
  config: RTCConfiguration,
  onTrack: (stream: MediaStream) => void,
  onError: (error: unknown) => void,
  send?: MediaStream,
): Promise<Subscription> {
  const view = await media.subscribe(callId, feed.userId);
  const pc = new RTCPeerConnection({ ...config, bundlePolicy: "max-bundle" });
  const stream = new MediaStream();
  pc.addEventListener("track", (event) => {
    stream.addTrack(event.track);
    onTrack(stream);
  });
  try {
    const target = view.subscription_id;
    const ready = trickle(pc, (request) => media.trickle(callId, { target, ...request }), onError);
    await pc.setRemoteDescription({ type: "offer", sdp: view.sdp });
    const audio = send?.getAudioTracks()[0];
    const transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === "audio");
    if (audio && transceiver) {
      await transceiver.sender.replaceTrack(audio);
      transceiver.direction = "sendrecv";
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await media.answerSubscription(callId, target, pc.localDescription!.sdp);
    ready();
    return { pc, id: target, feedId: feed.feedId, stream };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/**
 * Collects `pc`'s candidates and, once the returned function is called, sends them in batches
 * (in order, one request at a time), the end of gathering last.
 */
function trickle(
  pc: RTCPeerConnection,
  send: (request: Omit<Trickle, "target">) => Promise<unknown>,
  onError: (error: unknown) => void,
): () => void {
  const pending: Trickle["candidates"] = [];
  let [ready, gathered, told] = [false, false, false];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    while (ready && (pending.length > 0 || (gathered && !told))) {
      const candidates = pending.splice(0, MAX_CANDIDATES);
      const completed = gathered && pending.length === 0;
      told ||= completed;
      chain = chain
        .then(() => pc.signalingState !== "closed" && send({ candidates, ...(completed && { completed }) }))
        .catch(onError);
    }
  };
  const later = () => {
    timer ??= setTimeout(flush, TRICKLE_BATCH_MS);
  };
  pc.addEventListener("icecandidate", ({ candidate }) => {
    // A null candidate ends gathering; an empty one ends one section's (not sent).
    if (!candidate) gathered = true;
    else if (candidate.candidate) {
      const { sdpMid, sdpMLineIndex } = candidate;
      pending.push({ candidate: candidate.candidate, sdpMid, sdpMLineIndex });
    }
    later();
  });
  return () => {
    ready = true;
    later();
  };
}
