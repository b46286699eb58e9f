// POST /_callsign/federation/v1/calls, GET /calls/{callId}, POST /calls/{callId}/actions,
// PUT /rooms/{roomId}/send/{eventType}/{txnId} — a remote caller's calls hosted here.
import { z } from "zod";
import {
  FederationCallRoutes,
  RemoteCallActionRequest,
  RemotePlaceCallRequest,
  RemoteRoomSendRequest,
} from "../../../protocol/federation/calls.js";
import { parse, route } from "../../../server/src/http/route.js";

export const federationPlaceCall = route({
  method: "post",
  path: FederationCallRoutes.calls,
  scope: "federation",
  auth: "server",
  handler: ({ origin, body }, ctx) => ctx.hostedCalls.place(origin, parse(RemotePlaceCallRequest, body)),
});

const CallQuery = z.object({ user_id: z.string().min(1).max(255) });

export const federationGetCall = route({
  method: "get",
  path: FederationCallRoutes.call,
  scope: "federation",
  auth: "server",
  handler: ({ origin, params, query }, ctx) =>
    ctx.hostedCalls.view(origin, parse(CallQuery, query, "query").user_id, params.callId!),
});

export const federationCallAction = route({
  method: "post",
  path: FederationCallRoutes.callAction,
  scope: "federation",
  auth: "server",
  handler: ({ origin, params, body }, ctx) =>
    ctx.hostedCalls.act(origin, params.callId!, parse(RemoteCallActionRequest, body)),
});

export const federationRoomSend = route({
  method: "put",
  path: FederationCallRoutes.roomSend,
  scope: "federation",
  auth: "server",
  handler: async ({ origin, params, body }, ctx) => ({
    event_id: await ctx.hostedCalls.send(
      origin,
      params.roomId!,
      params.eventType!,
      params.txnId!,
      parse(RemoteRoomSendRequest, body),
    ),
  }),
});
