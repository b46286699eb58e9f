/**
 * Call media (spec/media.md): once a call is answered, each side sends its WebRTC offer to the
 * homeserver, which relays it to the call's Janus room and returns the answer; to see and hear
 * the other side, a client subscribes to their feed (the server returns Janus's offer, the
 * client answers); ICE candidates trickle the same way. The homeserver is Janus's only client:
 * clients never talk to Janus's API, only exchange media with it.
 */
import { z } from "zod";

/** State event (state key "") of a call room with its `MediaView`, rewritten when a feed comes or goes. */
export const MEDIA_STATE_EVENT = "io.callsign.media";

export const MediaRoutes = {
  /** The call's media as it stands: who publishes, and the subscriptions of the requester. */
  media: "/calls/:callId/media",
  /** Publish (or renegotiate, or restart ICE of) the requester's own audio and video. */
  publish: "/calls/:callId/media/publish",
  /** Subscribe to the other side's feed: the answer carries the gateway's offer. */
  subscribe: "/calls/:callId/media/subscribe",
  /** The client's answer to a subscription's offer. */
  subscriptionAnswer: "/calls/:callId/media/subscriptions/:subscriptionId/answer",
  /** DELETE: ends one of the requester's subscriptions (a page closing, a feed no longer wanted). */
  subscription: "/calls/:callId/media/subscriptions/:subscriptionId",
  /** ICE candidates of the requester's publisher or of one of its subscriptions. */
  trickle: "/calls/:callId/media/trickle",
} as const;

/** Longest SDP accepted (a browser's offer with audio, video and data is 4–8 kB). */
export const SDP_MAX = 32_000;

const sdp = z.string().min(10).max(SDP_MAX);

export const PublishRequest = z.object({
  /** The client's SDP offer (type `offer`), for its own audio and (unless a guest) video. */
  sdp,
});
export type PublishRequest = z.infer<typeof PublishRequest>;

export const SubscribeRequest = z.object({
  /** Whose feed: the other side's user ID (default: the other side of the call). */
  user_id: z.string().max(255).optional(),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

export const SubscriptionAnswerRequest = z.object({ sdp });
export type SubscriptionAnswerRequest = z.infer<typeof SubscriptionAnswerRequest>;

const Candidate = z.object({
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
});

export const TrickleRequest = z.object({
  /** `publisher`, or a subscription ID. */
  target: z.string().min(1).max(64),
  /** Candidates gathered; an empty list with `completed` says gathering ended. */
  candidates: z.array(Candidate).max(50),
  completed: z.boolean().optional(),
});
export type TrickleRequest = z.infer<typeof TrickleRequest>;

export const mediaSchemas = {
  PublishRequest,
  SubscribeRequest,
  SubscriptionAnswerRequest,
  TrickleRequest,
} as const;

/** The answer to a publish: the gateway's SDP answer (video rejected for guests). */
export interface PublishView {
  sdp: string;
  /** The feed others subscribe to. */
  feed_id: string;
  /** Whether video is carried (false for guests, whatever they offered). */
  video: boolean;
}

/** A subscription to another party's feed: the gateway's offer, to be answered. */
export interface SubscriptionView {
  subscription_id: string;
  user_id: string;
  sdp: string;
}

/** One party's published media. */
export interface FeedView {
  user_id: string;
  feed_id: string;
  audio: boolean;
  video: boolean;
}

/** `GET /calls/{callId}/media` and the `media` of the call state. */
export interface MediaView {
  /** Whether the call has a media room now (answered and not ended). */
  open: boolean;
  feeds: FeedView[];
}
