/**
 * Media peers for tests (werift 0.24.4, the last release for Node 20): a peer that publishes
 * synthetic Opus and VP8 RTP — payloads that only look like their codecs, which Janus relays
 * without decoding, tagged with a byte that tells senders apart — and a peer that subscribes
 * and counts the packets it receives per kind and tag. Tests count packets, never assume them.
 */
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from "werift";

export type Kind = "audio" | "video";
/** Packets per kind a subscriber must receive: 1 s of audio (50 pps) and of video (30 fps) at least. */
export const ENOUGH = { audio: 50, video: 30 };
export const WITHIN_MS = 5_000;

/** The peers a suite made, closed by `closeAll`. */
export class MediaPeers {
  private readonly peers: RTCPeerConnection[] = [];
  private readonly stops: (() => void)[] = [];

  /** @param hostAddress our side of the veth pair (Janus offers media only on its namespace address). */
  constructor(private readonly hostAddress: string) {}

  /** A peer bound to our side of the veth pair, with Opus and VP8. */
  peer(): RTCPeerConnection {
    const pc = new RTCPeerConnection({
      bundlePolicy: "max-bundle",
      iceInterfaceAddresses: { udp4: this.hostAddress },
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48_000, channels: 2 })],
        video: [
          new RTCRtpCodecParameters({
            mimeType: "video/VP8",
            clockRate: 90_000,
            rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }],
          }),
        ],
      },
    });
    this.peers.push(pc);
    return pc;
  }

  /**
   * A publisher: creates its offer (audio and video, send only), hands it to `exchange` for the
   * gateway's answer, connects and sends RTP tagged `tag` until stopped.
   */
  async publisher(tag: number, exchange: (offerSdp: string) => Promise<string>) {
    const pc = this.peer();
    const tracks = {
      audio: new MediaStreamTrack({ kind: "audio" }),
      video: new MediaStreamTrack({ kind: "video" }),
    };
    pc.addTransceiver(tracks.audio, { direction: "sendonly" });
    pc.addTransceiver(tracks.video, { direction: "sendonly" });
    await pc.setLocalDescription(await pc.createOffer());
    const answerSdp = await exchange(pc.localDescription!.sdp);
    await pc.setRemoteDescription({ type: "answer", sdp: answerSdp });
    await connected(pc);
    const stop = sendSyntheticRtp(tracks, tag);
    this.stops.push(stop);
    return { pc, answerSdp, stop };
  }

  /**
   * A subscriber: takes the gateway's offer, answers through `answer`, connects, and counts the
   * RTP packets that arrive per kind, and the tags they carry.
   */
  async subscriber(offerSdp: string, answer: (answerSdp: string) => Promise<void>) {
    const pc = this.peer();
    const counts = { audio: 0, video: 0 };
    const tags = new Set<number>();
    pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        counts[track.kind as Kind]++;
        tags.add(rtp.payload[rtp.payload.length - 1]!);
      });
    });
    await pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await answer(pc.localDescription!.sdp);
    await connected(pc);
    return { pc, counts, tags };
  }

  async closeAll(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await Promise.all(this.peers.splice(0).map((pc) => pc.close()));
  }
}

/** Resolves once both kinds (or `kinds`) reached ENOUGH packets more than `from`, with the time it took. */
export async function enoughPackets(
  counts: Record<Kind, number>,
  from = { audio: 0, video: 0 },
  kinds: Kind[] = ["audio", "video"],
): Promise<number> {
  const start = Date.now();
  while (kinds.some((k) => counts[k] - from[k] < ENOUGH[k])) {
    if (Date.now() - start > WITHIN_MS)
      throw new Error(
        `within ${WITHIN_MS} ms the subscriber got ${counts.audio - from.audio} audio and ` +
          `${counts.video - from.video} video packets (want ${kinds.map((k) => `${ENOUGH[k]} ${k}`).join(", ")})`,
      );
    await sleep(20);
  }
  return Date.now() - start;
}

/**
 * Sends RTP as a real caller would: an Opus packet every 20 ms and a VP8 frame every 33 ms. The
 * payloads only look like their codecs: a VP8 key frame header so Janus sees key frames, and
 * `tag` as the last byte to tell callers apart.
 */
export function sendSyntheticRtp(tracks: Record<Kind, MediaStreamTrack>, tag: number): () => void {
  const seq = { audio: 0, video: 0 };
  const send = (kind: Kind, timestamp: number, payload: number[]) => {
    seq[kind] = (seq[kind] + 1) & 0xffff;
    const header = new RtpHeader({ sequenceNumber: seq[kind], timestamp, marker: kind === "video" });
    tracks[kind].writeRtp(new RtpPacket(header, Buffer.from([...payload, tag])));
  };
  let audioTs = 0;
  let videoTs = 0;
  const audio = setInterval(() => {
    audioTs = (audioTs + 960) >>> 0; // 20 ms at 48 kHz
    send("audio", audioTs, [0xf8, 0xff, 0xfe]); // Opus TOC (CELT FB 20 ms) and a little data
  }, 20);
  const video = setInterval(() => {
    videoTs = (videoTs + 3000) >>> 0; // 33 ms at 90 kHz
    // Descriptor (start of partition), key frame header, start code, 320×240.
    send("video", videoTs, [0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0x00]);
  }, 33);
  return () => {
    clearInterval(audio);
    clearInterval(video);
  };
}

export async function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === "connected") return;
  try {
    await pc.connectionStateChange.watch((state) => state === "connected", WITHIN_MS);
  } catch {
    throw new Error(`no WebRTC connection to Janus within ${WITHIN_MS} ms (state ${pc.connectionState})`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
