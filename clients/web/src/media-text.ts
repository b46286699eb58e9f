/** How a call's media is put into words on screen: its clock and its connection quality. */

/** What the connection's statistics say of the last few seconds. */
export interface LinkSample {
  /** Round-trip time to the media gateway, in seconds (the selected candidate pair's). */
  rtt: number | null;
  /** Packets received and lost since the previous sample, over every received stream. */
  received: number;
  lost: number;
}

export type Quality = "good" | "fair" | "poor";

/** Loss (fraction of packets) and round-trip time (seconds) a link may reach and stay good / fair. */
const GOOD = { loss: 0.02, rtt: 0.3 };
const FAIR = { loss: 0.08, rtt: 0.6 };

/**
 * Rates a link: good below 2 % loss and 300 ms round trip, fair below 8 % and 600 ms, else poor;
 * null while nothing is known (no packets and no round trip yet).
 *
 * @example linkQuality({ rtt: 0.05, received: 480, lost: 30 }) // "fair" (5.9 % lost)
 */
export function linkQuality(sample: LinkSample): Quality | null {
  const total = sample.received + sample.lost;
  if (total === 0 && sample.rtt === null) return null;
  const loss = total > 0 ? sample.lost / total : 0;
  const rtt = sample.rtt ?? 0;
  if (loss < GOOD.loss && rtt < GOOD.rtt) return "good";
  if (loss < FAIR.loss && rtt < FAIR.rtt) return "fair";
  return "poor";
}

/** The hint shown beside the videos. */
export function qualityText(quality: Quality | null, sample?: LinkSample): string {
  if (!quality) return "Connecting…";
  const total = (sample?.received ?? 0) + (sample?.lost ?? 0);
  const details = [
    sample?.rtt != null && `${Math.round(sample.rtt * 1000)} ms`,
    total > 0 && `${((100 * sample!.lost) / total).toFixed(1)} % lost`,
  ].filter(Boolean);
  const word = { good: "Good connection", fair: "Fair connection", poor: "Poor connection" }[quality];
  return details.length ? `${word} (${details.join(", ")})` : word;
}

/** "m:ss", or "h:mm:ss" from an hour on. */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/**
 * The call's clock since it was answered, with the longest the call may last (seconds) when limited.
 *
 * @example callClockText(65_000, 1800) // "1:05 of 30:00"
 */
export function callClockText(elapsedMs: number, limitS?: number | null): string {
  const elapsed = durationText(elapsedMs);
  return limitS ? `${elapsed} of ${durationText(limitS * 1000)}` : elapsed;
}
