/**
 * The connection-quality hint: every few seconds the call's connections' statistics
 * (RTCPeerConnection.getStats) give the packets received and lost since the last look and the
 * round-trip time to the gateway, which media-text.ts rates good, fair or poor.
 */
import { linkQuality, type LinkSample, type Quality } from "./media-text.js";

const SAMPLE_MS = 2000;

interface Counts {
  received: number;
  lost: number;
}

/** Calls `onSample` every two seconds with the latest rating; returns the function that stops. */
export function watchQuality(
  connections: () => RTCPeerConnection[],
  onSample: (quality: Quality | null, sample: LinkSample) => void,
): () => void {
  /** Each connection's totals at the last look, per received stream. */
  const seen = new WeakMap<RTCPeerConnection, Map<string, Counts>>();
  let stopped = false;

  const look = async () => {
    const sample: LinkSample = { rtt: null, received: 0, lost: 0 };
    for (const pc of connections()) {
      if (pc.connectionState === "closed") continue;
      const before = seen.get(pc) ?? new Map<string, Counts>();
      const now = new Map<string, Counts>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === "candidate-pair" && s.nominated && typeof s.currentRoundTripTime === "number") {
          sample.rtt = Math.max(sample.rtt ?? 0, s.currentRoundTripTime);
        }
        if (s.type === "inbound-rtp") {
          const counts = { received: Number(s.packetsReceived ?? 0), lost: Number(s.packetsLost ?? 0) };
          const last = before.get(s.id as string) ?? { received: 0, lost: 0 };
          sample.received += Math.max(0, counts.received - last.received);
          sample.lost += Math.max(0, counts.lost - last.lost);
          now.set(s.id as string, counts);
        }
      });
      seen.set(pc, now);
    }
    if (!stopped) onSample(linkQuality(sample), sample);
  };
  const timer = setInterval(() => void look().catch(() => undefined), SAMPLE_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
