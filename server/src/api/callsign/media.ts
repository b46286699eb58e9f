// GET /_callsign/client/v1/calls/{callId}/media, POST …/media/publish, …/media/subscribe,
// …/media/subscriptions/{subscriptionId}/answer, DELETE …/media/subscriptions/{subscriptionId},
// …/media/trickle (spec/media.md)
import {
  MediaRoutes,
  PublishRequest,
  SubscribeRequest,
  SubscriptionAnswerRequest,
  TrickleRequest,
} from "../../../../protocol/callsign/media.js";
import { parse, route } from "../../http/route.js";

export const callMedia = route({
  method: "get",
  path: MediaRoutes.media,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params }, ctx) => ctx.media.view(requester, params.callId!),
});

export const publishMedia = route({
  method: "post",
  path: MediaRoutes.publish,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params, body }, ctx) =>
    ctx.media.publish(requester, params.callId!, parse(PublishRequest, body).sdp),
});

export const subscribeMedia = route({
  method: "post",
  path: MediaRoutes.subscribe,
  scope: "callsign",
  auth: "user",
  handler: ({ requester, params, body }, ctx) =>
    ctx.media.subscribe(requester, params.callId!, parse(SubscribeRequest, body).user_id),
});

export const answerSubscription = route({
  method: "post",
  path: MediaRoutes.subscriptionAnswer,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    await ctx.media.answer(
      requester,
      params.callId!,
      params.subscriptionId!,
      parse(SubscriptionAnswerRequest, body).sdp,
    );
    return {};
  },
});

export const dropSubscription = route({
  method: "delete",
  path: MediaRoutes.subscription,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester, params }, ctx) => {
    await ctx.media.unsubscribe(requester, params.callId!, params.subscriptionId!);
    return {};
  },
});

export const trickleMedia = route({
  method: "post",
  path: MediaRoutes.trickle,
  scope: "callsign",
  auth: "user",
  handler: async ({ requester, params, body }, ctx) => {
    await ctx.media.trickle(requester, params.callId!, parse(TrickleRequest, body));
    return {};
  },
});
