/**
 * Calls and messages between providers (spec/federation.md "Calls across providers"): the
 * callee's provider hosts the call and its room; the caller's provider asks it to place the
 * call and relays the caller's actions and messages; the host sends the room's events back as
 * delivery items, and SMS travel as delivery items to the recipient's provider.
 */
import { z } from "zod";
import { PlaceCallRequest, SmsRequest, TEXT_MAX } from "../callsign/requests.js";

export const FederationCallRoutes = {
  /** The caller's provider places a call to a handle hosted here. */
  calls: "/calls",
  /** A call hosted here, as its remote caller sees it. */
  call: "/calls/:callId",
  /** The remote caller's actions on a call hosted here: cancel, end, leave an SMS. */
  callAction: "/calls/:callId/actions",
  /** A remote member's message in a room hosted here. */
  roomSend: "/rooms/:roomId/send/:eventType/:txnId",
} as const;

/** Delivery item kinds (spec/federation-delivery.md) of calls and messages. */
export const CallItemKinds = {
  /** An event of a room hosted by the sender, for members of the receiver. */
  roomEvent: "io.callsign.room_event",
  /** An SMS to a party of the receiver. */
  sms: "io.callsign.sms",
} as const;

const userId = z
  .string()
  .regex(/^@[^:\s]+:[^\s]+$/, "a user ID @local:server")
  .max(255);

/** A party as its home provider describes it: the receiver records it as a remote party. */
export const RemotePartySchema = z.object({
  user_id: userId,
  kind: z.enum(["user", "guest", "service"]),
  display_name: z.string().max(255).nullable(),
});
export type RemoteParty = z.infer<typeof RemotePartySchema>;

export const RemotePlaceCallRequest = z.object({
  caller: RemotePartySchema,
  call: PlaceCallRequest,
  /** The original caller's call-back reference, when this call answers an SMS or a missed call. */
  callback_of: z.object({ kind: z.enum(["call", "sms"]), id: z.string().max(64) }).optional(),
});
export type RemotePlaceCallRequest = z.infer<typeof RemotePlaceCallRequest>;

export const RemoteCallActionRequest = z
  .object({
    /** The caller (one of the signing provider's users). */
    user_id: userId,
    /** Give up while waiting, hang up, or leave an SMS on the call. */
    action: z.enum(["cancel", "end", "sms"]),
    /** The SMS, for `sms` only. */
    sms: SmsRequest.optional(),
  })
  .refine((a) => (a.action === "sms") === (a.sms !== undefined), {
    message: "sms goes with the action sms, and only with it",
    path: ["sms"],
  });
export type RemoteCallActionRequest = z.infer<typeof RemoteCallActionRequest>;

export const RemoteRoomSendRequest = z.object({
  sender: userId,
  /** The sender's device, so a retried transaction answers with the same event. */
  device_id: z.string().min(1).max(255),
  content: z.record(z.string(), z.unknown()),
});
export type RemoteRoomSendRequest = z.infer<typeof RemoteRoomSendRequest>;

/** `io.callsign.room_event`: one event of a room the sender hosts, in the host's order. */
export const RoomEventItem = z.object({
  room_id: z.string().max(255),
  event_id: z.string().max(255),
  type: z.string().max(255),
  state_key: z.string().max(255).nullable(),
  sender: userId,
  content: z.record(z.string(), z.unknown()),
  origin_server_ts: z.number().int(),
  /** Only to the sender's own provider: the client transaction that made the event. */
  txn: z.object({ device_id: z.string().max(255), txn_id: z.string().max(255) }).optional(),
});
export type RoomEventItem = z.infer<typeof RoomEventItem>;

/** `io.callsign.sms`: an SMS from a party of the sender to a party of the receiver. */
export const SmsItem = z.object({
  sms_id: z.string().min(1).max(64),
  from: RemotePartySchema,
  to: userId,
  topic: z.string().max(500).nullable(),
  text: z.string().min(1).max(TEXT_MAX),
  call_id: z.string().max(64).nullable(),
  reply_to: z.string().max(64).nullable(),
  call_back: z.boolean(),
});
export type SmsItem = z.infer<typeof SmsItem>;

export const FederationCallSchemas = {
  RemotePlaceCallRequest,
  RemoteCallActionRequest,
  RemoteRoomSendRequest,
  RoomEventItem,
  SmsItem,
};
