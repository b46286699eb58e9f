/** Jobs of the calling subsystem (handlers in server/src/jobs/handlers/calls.ts). */
export const CallJobs = {
  /** A queued call nobody took becomes missed. Job ID: the call ID. */
  RingTimeout: "call-ring-timeout",
  /** A call to an offline subscriber with no SMS left becomes missed. Job ID: the call ID. */
  OfflineTimeout: "call-offline-timeout",
  /** E-mails a subscriber about a new SMS or missed call. Job ID: `<kind>-<id>`. */
  NotifyEmail: "notify-email",
  /** Marks a tag expired when its time comes. Job ID: `<owner>|<name>|<expiry ms>`. */
  TagExpiry: "tag-expiry",
} as const;

export interface CallJob {
  callId: string;
}

export interface NotifyEmailJob {
  kind: "sms" | "missed";
  id: string;
}

export interface TagExpiryJob {
  ownerId: string;
  name: string;
}
