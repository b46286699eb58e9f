/** Rows → the `MediaView` of protocol/callsign/media.ts. */
import type { MediaView } from "../../../protocol/callsign/media.js";
import type { FeedRow } from "../storage/repositories/media.js";

export function mediaView(open: boolean, feeds: FeedRow[]): MediaView {
  return {
    open,
    feeds: feeds.map((f) => ({ user_id: f.userId, feed_id: String(f.feedId), audio: true, video: f.video })),
  };
}
