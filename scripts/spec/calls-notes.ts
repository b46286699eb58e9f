/**
 * What `calls.md` says about the call lifecycle that the protocol constants cannot: who triggers
 * each transition, what each state means and when each error arises. The data is written here
 * by hand (read off `server/src/services/calls/call-service.ts` and the job handlers) but
 * checked: the generator throws when a transition of `CallTransitions` has no trigger here or a
 * trigger names a transition or route that does not exist; `test/spec.test.ts` runs each
 * trigger's route handler and job handler against the real `CallService` to check the party and
 * the state it asks for; the records below are typed by the protocol's state and error codes.
 */
import type { CallStateValue } from "../../protocol/callsign/calls.js";
import type { CallsignRoutes } from "../../protocol/callsign/routes.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type { settings } from "../../server/src/config/settings.js";
import { CallJobs } from "../../server/src/services/calls/job-names.js";

/** Who causes a transition: a party's request or a time-out job. */
export type Actor = "caller" | "callee" | "either party" | "time-out job";

export interface Trigger {
  by: Actor;
  /** A few words for the state diagram's arrow. */
  label: string;
  /** The extension route (a `POST`) that requests it. */
  route?: keyof typeof CallsignRoutes;
  /** The job that performs it, and the setting that delays that job (or when it runs, in words). */
  job?: { name: string; delay: keyof typeof settings } | { name: string; after: string };
  /** The state the request asks for, when the server records another (`cancel` → `missed`). */
  requests?: CallStateValue;
  note?: string;
}

const ring = { name: CallJobs.RingTimeout, delay: "CALLSIGN_RING_TIMEOUT_S" } as const;
const offline = { name: CallJobs.OfflineTimeout, delay: "CALLSIGN_OFFLINE_DECISION_S" } as const;

/** The triggers of every transition of `CallTransitions`, by from-state and to-state. */
export const Triggers: Partial<Record<CallStateValue, Partial<Record<CallStateValue, Trigger[]>>>> = {
  offline: {
    left_sms: [{ by: "caller", label: "sms (caller)", route: "callSms" }],
    missed: [
      {
        by: "caller",
        label: "cancel (caller)",
        route: "callCancel",
        requests: "cancelled",
        note: "cancelling a call to an offline callee records it as missed, not cancelled",
      },
      { by: "time-out job", label: "offline time-out", job: offline },
    ],
    answered: [
      {
        by: "callee",
        label: "take (callee)",
        route: "callTake",
        note: "a callee who comes online while the caller decides",
      },
    ],
    replied: [{ by: "callee", label: "reply (callee)", route: "callReply" }],
    declined: [{ by: "callee", label: "decline (callee)", route: "callDecline" }],
  },
  queued: {
    answered: [
      { by: "callee", label: "take (callee)", route: "callTake", note: "only the first call of the queue" },
    ],
    replied: [{ by: "callee", label: "reply (callee)", route: "callReply" }],
    declined: [{ by: "callee", label: "decline (callee)", route: "callDecline" }],
    cancelled: [{ by: "caller", label: "cancel (caller)", route: "callCancel" }],
    missed: [{ by: "time-out job", label: "ring time-out", job: ring }],
    left_sms: [{ by: "caller", label: "sms (caller)", route: "callSms" }],
  },
  answered: {
    ended: [
      { by: "either party", label: "end (either)", route: "callEnd" },
      {
        by: "time-out job",
        label: "plan's longest call",
        job: {
          name: CallJobs.MaxDuration,
          after:
            "the plan's `max_call_minutes` after a service's call is taken ([services.md](services.md#plans-and-subscriptions))",
        },
        note: "`reason` says why",
      },
    ],
  },
};

/** How a call comes into being in each of the states no transition leads to. */
export const Placements: Partial<Record<CallStateValue, string>> = {
  queued: "placed, callee online",
  offline: "placed, callee offline",
};

/** What each state means. */
export const StateMeanings: Record<CallStateValue, string> = {
  offline:
    "The callee was offline when the call was placed. The caller MAY leave an SMS; otherwise the call becomes missed.",
  queued: "The callee was online: the call rings in the callee's queue and has a `position`.",
  answered: "The callee took the call and joined the room; the parties talk.",
  replied: "The callee answered with a text (`reply`) instead of taking the call.",
  declined: "The callee declined the call, with an optional `reason`.",
  cancelled: "The caller gave up on a queued call.",
  missed:
    "Nobody took the call in time, or the caller gave up on an offline callee. It is listed in the callee's inbox.",
  left_sms: "The caller left an SMS instead (`sms_id`); it is listed in the callee's inbox.",
  ended: "An answered call was ended by either party.",
};

/** When each error of the calls API arises (its HTTP status comes from `ErrorCodes`). */
export const CallErrors: Partial<Record<ErrorCode, string>> = {
  IO_CALLSIGN_REMOTE_HANDLE:
    "The handle's domain names another provider in its `_callsign` record; `provider` says which.",
  IO_CALLSIGN_DNS_FAILED: "DNS could not tell who hosts the handle's domain; nothing was decided.",
  IO_CALLSIGN_UNKNOWN_HANDLE:
    "Placing a call, a handle view or a call link: no account answers to the handle (guests and deactivated accounts never do).",
  M_INVALID_PARAM: "Calling oneself; a tag's `expires_at` that is not in the future.",
  M_NOT_FOUND:
    "An unknown tag; a call or SMS that does not exist or whose party the requester is not (the same answer for both); a call-back of a call the requester was not the callee of.",
  IO_CALLSIGN_TAG_EXPIRED: "The tag exists but its `expires_at` has passed: its link no longer rings.",
  IO_CALLSIGN_CALLS_OFF: "The callee's inbox option `calls` is off.",
  IO_CALLSIGN_ANONYMOUS_REFUSED: "A guest calls a callee (or tag) whose `anonymous` option is off.",
  IO_CALLSIGN_TOPIC_REQUIRED: "A call without a topic to a callee (or tag) whose `one_click` option is off.",
  IO_CALLSIGN_CAPTCHA_REQUIRED:
    "A guest's call without a topic when the callee's `captcha` option is on and no `captcha` was sent; carries the challenge in `captcha`.",
  M_CAPTCHA_INVALID: "The `captcha` sent is malformed, wrong, expired or already used.",
  M_LIMIT_EXCEEDED: "A guest's call over the per-IP or per-callee limit; carries `retry_after_ms`.",
  IO_CALLSIGN_ALREADY_CALLING:
    "The caller already has an `offline`, `queued` or `answered` call to this callee; carries its `call_id`.",
  M_FORBIDDEN:
    "The change belongs to the other party of the call, or another operator has the call; transferring a call that is not a service's; a client sends `io.callsign.call`; setting another user's presence.",
  IO_CALLSIGN_BAD_TRANSITION:
    "The call's state does not allow the change (it ended already, or is not yet answered); carries the current `state`.",
  IO_CALLSIGN_NOT_HEAD:
    "Taking a queued call that is not first in the queue; carries the first call's ID in `head`.",
  IO_CALLSIGN_ALREADY_TAKEN:
    "Taking a service's call that another operator took first (of two simultaneous takes exactly one wins); carries that `operator`.",
  IO_CALLSIGN_NOT_OFFERED:
    "Taking a call of a service in automatic distribution that is offered to another operator.",
  IO_CALLSIGN_NOT_ONLINE:
    "An operator of the called service who is not online for it takes, replies to, declines or transfers its call.",
  IO_CALLSIGN_NOT_SUBSCRIBER:
    "Replying to a guest's SMS, calling back a guest, or a guest's SMS asking for a call back.",
  IO_CALLSIGN_SERVICE_PAUSED:
    "Calling (or transferring to) a service paused for an unpaid subscription; the message says so.",
  IO_CALLSIGN_NAME_TAKEN: "Creating a tag with a name the subscriber already uses.",
  M_GUEST_ACCESS_FORBIDDEN: "A guest uses an endpoint marked `user, not guest`.",
};

/** The settings that shape calls, in the order `calls.md` discusses them. */
export const CallSettings: (keyof typeof settings)[] = [
  "CALLSIGN_RING_TIMEOUT_S",
  "CALLSIGN_OFFLINE_DECISION_S",
  "CALLSIGN_SYNC_TIMEOUT_MAX_MS",
  "CALLSIGN_PRESENCE_GRACE_S",
  "CALLSIGN_GUEST_CALLS_PER_MIN",
  "CALLSIGN_GUEST_CALLS_PER_TARGET_PER_MIN",
  "CALLSIGN_SMTP_URL",
  "CALLSIGN_MAIL_FROM",
];
