/**
 * Schemas of the Matrix client-server request bodies Callsign accepts. Types are derived from
 * the schemas (`z.infer`), never written twice; the server validates every body against them
 * and `spec/` renders them as JSON Schema. Unknown fields are allowed, as in Matrix.
 */
import { z } from "zod";

const userId = z
  .string()
  .regex(/^@[^:\s]+:[^\s]+$/, "must be a Matrix user ID (@local:server)")
  .max(255);
const roomId = z
  .string()
  .regex(/^![^:\s]+:[^\s]+$/, "must be a room ID (!opaque:server)")
  .max(255);
const jsonObject = z.record(z.string(), z.unknown());

/** User-interactive auth dict (`auth`) sent with register and other guarded calls. */
export const AuthDict = z.looseObject({
  type: z.string().max(128).optional(),
  session: z.string().max(128).optional(),
  /** Proof-of-work captcha solution (stage `io.callsign.captcha`). */
  response: z.string().max(1024).optional(),
});

/**
 * `POST /register`. `email` is a Callsign extension (Matrix would use a 3PID stage); `username`
 * is the optional user name; every account also gets a 9-digit number as its user ID localpart.
 */
export const RegisterRequest = z.looseObject({
  auth: AuthDict.optional(),
  username: z.string().max(64).optional(),
  password: z.string().max(512).optional(),
  email: z.string().max(254).optional(),
  device_id: z.string().min(1).max(128).optional(),
  initial_device_display_name: z.string().max(256).optional(),
  inhibit_login: z.boolean().optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** Login identifiers: Matrix user, Matrix e-mail 3PID, and Callsign's account number. */
export const UserIdentifier = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("m.id.user"), user: z.string().min(1).max(255) }),
  z.looseObject({
    type: z.literal("m.id.thirdparty"),
    medium: z.literal("email"),
    address: z.string().min(1).max(254),
  }),
  z.looseObject({ type: z.literal("io.callsign.id.number"), number: z.string().regex(/^\d{9}$/) }),
]);
export type UserIdentifier = z.infer<typeof UserIdentifier>;

export const LoginRequest = z.looseObject({
  type: z.string().max(64),
  identifier: UserIdentifier.optional(),
  /** Deprecated Matrix form of `identifier: {type: "m.id.user", user}`. */
  user: z.string().max(255).optional(),
  password: z.string().max(512).optional(),
  device_id: z.string().min(1).max(128).optional(),
  initial_device_display_name: z.string().max(256).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

const StateEventInput = z.object({
  type: z.string().min(1).max(255),
  state_key: z.string().max(255).default(""),
  content: jsonObject,
});

export const CreateRoomRequest = z.looseObject({
  visibility: z.enum(["public", "private"]).optional(),
  room_alias_name: z.string().max(255).optional(),
  name: z.string().max(255).optional(),
  topic: z.string().max(1024).optional(),
  invite: z.array(userId).max(100).optional(),
  room_version: z.string().max(32).optional(),
  creation_content: jsonObject.optional(),
  initial_state: z.array(StateEventInput).max(50).optional(),
  preset: z.enum(["private_chat", "public_chat", "trusted_private_chat"]).optional(),
  is_direct: z.boolean().optional(),
  power_level_content_override: jsonObject.optional(),
});
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

export const MembershipRequest = z.looseObject({ user_id: userId, reason: z.string().max(1024).optional() });
export const ReasonRequest = z.looseObject({ reason: z.string().max(1024).optional() });
export const DisplayNameRequest = z.looseObject({ displayname: z.string().max(256).nullable() });
export const AvatarUrlRequest = z.looseObject({ avatar_url: z.string().max(1024).nullable() });

/** Any event content: a JSON object. Size is limited by the server's body limit. */
export const EventContent = jsonObject;

const RoomEventFilter = z.looseObject({
  limit: z.number().int().min(1).max(1000).optional(),
  types: z.array(z.string().max(255)).max(100).optional(),
  not_types: z.array(z.string().max(255)).max(100).optional(),
  rooms: z.array(roomId).max(1000).optional(),
  not_rooms: z.array(roomId).max(1000).optional(),
  senders: z.array(userId).max(1000).optional(),
  not_senders: z.array(userId).max(1000).optional(),
  lazy_load_members: z.boolean().optional(),
});
export type RoomEventFilter = z.infer<typeof RoomEventFilter>;

export const FilterDefinition = z.looseObject({
  event_fields: z.array(z.string()).optional(),
  event_format: z.enum(["client", "federation"]).optional(),
  presence: RoomEventFilter.optional(),
  account_data: RoomEventFilter.optional(),
  room: z
    .looseObject({
      rooms: z.array(roomId).max(1000).optional(),
      not_rooms: z.array(roomId).max(1000).optional(),
      include_leave: z.boolean().optional(),
      timeline: RoomEventFilter.optional(),
      state: RoomEventFilter.optional(),
      ephemeral: RoomEventFilter.optional(),
      account_data: RoomEventFilter.optional(),
    })
    .optional(),
});
export type FilterDefinition = z.infer<typeof FilterDefinition>;

export const SendToDeviceRequest = z.looseObject({
  messages: z.record(userId, z.record(z.string().max(128), jsonObject)),
});

export const ReadMarkersRequest = z.object({
  "m.fully_read": z.string().max(255).optional(),
  "m.read": z.string().max(255).optional(),
  "m.read.private": z.string().max(255).optional(),
});

export const TypingRequest = z.looseObject({
  typing: z.boolean(),
  timeout: z.number().int().min(0).optional(),
});

/** Query of `GET /sync`. */
export const SyncQuery = z.looseObject({
  since: z.string().max(64).optional(),
  timeout: z.coerce.number().int().min(0).optional(),
  filter: z.string().max(8192).optional(),
  full_state: z.enum(["true", "false"]).optional(),
  set_presence: z.enum(["online", "offline", "unavailable"]).optional(),
});

/** Query of `GET /rooms/{roomId}/messages`. */
export const MessagesQuery = z.looseObject({
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  dir: z.enum(["b", "f"]),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  filter: z.string().max(8192).optional(),
});

export const schemas = {
  RegisterRequest,
  LoginRequest,
  CreateRoomRequest,
  MembershipRequest,
  ReasonRequest,
  DisplayNameRequest,
  AvatarUrlRequest,
  FilterDefinition,
  SendToDeviceRequest,
  ReadMarkersRequest,
  TypingRequest,
  SyncQuery,
  MessagesQuery,
} as const;
