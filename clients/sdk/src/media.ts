/**
 * The call media API (`/_callsign/client/v1/calls/{callId}/media`, spec/media.md): once a call is
 * answered, each side publishes its microphone and camera to the call's media gateway through the
 * homeserver, subscribes to the other side's feed, and trickles its ICE candidates. The gateway's
 * SDP comes back in the answers; the client never talks to the gateway's API.
 */
import type { z } from "zod";
import type {
  MediaView,
  PublishView,
  SubscriptionView,
  TrickleRequest,
} from "../../../protocol/callsign/media.js";
import { MediaRoutes } from "../../../protocol/callsign/media.js";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type Trickle = z.input<typeof TrickleRequest>;

/**
 * A typed client of the media API for one party of a call (its caller, or the party that
 * answered). Every method rejects with a `ProtocolError`: 409 `IO_CALLSIGN_BAD_TRANSITION` while
 * the call is not answered, 503 `IO_CALLSIGN_MEDIA_UNAVAILABLE` when no gateway answers (the
 * client may retry), 404 `M_NOT_FOUND` for anyone else.
 *
 * @example
 * const media = new MediaApi("https://telco-a.example", accessToken);
 * const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
 * stream.getTracks().forEach((t) => pc.addTransceiver(t, { direction: "sendonly" }));
 * await pc.setLocalDescription(await pc.createOffer());
 * const published = await media.publish(callId, pc.localDescription!.sdp);
 * await pc.setRemoteDescription({ type: "answer", sdp: published.sdp });
 */
export class MediaApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the party's access token (a guest's too)
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /** Whether the call has a media room now, and whose feeds it carries. */
  view(callId: string): Promise<MediaView> {
    return this.send("GET", routePath(MediaRoutes.media, { callId }));
  }

  /**
   * Publishes the party's media: `sdp` is its offer; the answer is the gateway's. A new offer on
   * the same call replaces the party's publisher (an ICE restart too). A guest's video is made
   * inactive whatever the offer says (`video: false` in the answer).
   */
  publish(callId: string, sdp: string): Promise<PublishView> {
    return this.send("POST", routePath(MediaRoutes.publish, { callId }), { sdp });
  }

  /**
   * Subscribes to a feed of the call: `userId` (default: the other side of the call) must be
   * listed in `view().feeds`. Answers the gateway's offer, to be answered with
   * {@link answerSubscription}.
   */
  subscribe(callId: string, userId?: string): Promise<SubscriptionView> {
    return this.send("POST", routePath(MediaRoutes.subscribe, { callId }), userId ? { user_id: userId } : {});
  }

  /** The client's SDP answer to a subscription's offer. */
  answerSubscription(callId: string, subscriptionId: string, sdp: string): Promise<Record<string, never>> {
    const path = routePath(MediaRoutes.subscriptionAnswer, { callId, subscriptionId });
    return this.send("POST", path, { sdp });
  }

  /** Ends a subscription (its gateway handle goes at once). */
  unsubscribe(callId: string, subscriptionId: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(MediaRoutes.subscription, { callId, subscriptionId }));
  }

  /**
   * ICE candidates of the publisher (`target: "publisher"`) or of a subscription (its ID), at
   * most 50 at a time; `completed: true` (with an empty list, or with the last ones) says
   * gathering ended.
   */
  trickle(callId: string, request: Trickle): Promise<Record<string, never>> {
    return this.send("POST", routePath(MediaRoutes.trickle, { callId }), request);
  }
}
