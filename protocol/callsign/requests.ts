/** Schemas of the Callsign extension API request bodies (`/_callsign/client/v1`). */
import { z } from "zod";

/** Longest topic or question a caller may state. */
export const TOPIC_MAX = 500;
/** Longest SMS or text reply. */
export const TEXT_MAX = 2000;

const text = (max: number) => z.string().trim().min(1).max(max);

export const PlaceCallRequest = z.object({
  /** Number, e-mail address or user name of the callee. */
  handle: z.string().trim().min(1).max(320),
  /** A tag of the callee's: its preset applies and its expiry is checked. */
  tag: z.string().max(64).optional(),
  topic: text(TOPIC_MAX).optional(),
  /** The solved captcha (base64 JSON), when the server asked for one. */
  captcha: z.string().max(1024).optional(),
});
export type PlaceCallRequest = z.infer<typeof PlaceCallRequest>;

export const ReplyRequest = z.object({ text: text(TEXT_MAX) });
export const DeclineRequest = z.object({ reason: z.string().trim().max(TEXT_MAX).optional() });
export const SmsRequest = z.object({
  text: text(TEXT_MAX),
  /** Asks the callee to call back (registered callers only: a guest cannot be called). */
  call_back: z.boolean().optional(),
});
export const CallBackRequest = z.object({ topic: text(TOPIC_MAX).optional() });
export const MarkReadRequest = z.object({
  sms: z.array(z.string().max(64)).max(500).optional(),
  calls: z.array(z.string().max(64)).max(500).optional(),
});

export const InboxOptionsRequest = z.object({
  calls: z.boolean().optional(),
  anonymous: z.boolean().optional(),
  one_click: z.boolean().optional(),
  captcha: z.boolean().optional(),
});

export const TAG_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const CreateTagRequest = z.object({
  name: z.string().regex(TAG_NAME, "a tag name is 1-32 of a-z, 0-9 and '-', starting with a letter or digit"),
  topic: text(TOPIC_MAX).optional(),
  anonymous: z.boolean().default(true),
  one_click: z.boolean().default(true),
  /** Expiry, milliseconds since the epoch; must be in the future. */
  expires_at: z.number().int().positive(),
});
export type CreateTagRequest = z.infer<typeof CreateTagRequest>;

export const PresenceRequest = z.looseObject({
  presence: z.enum(["online", "offline", "unavailable"]),
  status_msg: z.string().max(256).optional(),
});

export const callsignSchemas = {
  PlaceCallRequest,
  ReplyRequest,
  DeclineRequest,
  SmsRequest,
  CallBackRequest,
  MarkReadRequest,
  InboxOptionsRequest,
  CreateTagRequest,
  PresenceRequest,
} as const;
