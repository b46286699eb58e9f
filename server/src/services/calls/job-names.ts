/** Jobs of the calling subsystem (handlers in server/src/jobs/handlers/calls.ts). */
export const CallJobs = {
  /** A queued call nobody took becomes missed. Job ID: `callTimerId` (the call ID, and its hop). */
  RingTimeout: "call-ring-timeout",
  /** A call to an offline subscriber with no SMS left becomes missed. Job ID: `callTimerId`. */
  OfflineTimeout: "call-offline-timeout",
  /**
   * Ends an answered call of a service at its plan's maximum duration. Job ID: `callTimerId`
   * followed by `.max`.
   */
  MaxDuration: "call-max-duration",
  /**
   * A call to a service whose trunk rings the PBX `after` the web operators: still waiting, it
   * goes to the PBX. Job ID: `callTimerId` followed by `.pbx`.
   */
  PbxEscalate: "call-pbx-escalate",
  /** E-mails a subscriber about a new SMS or missed call. Job ID: `<kind>-<id>`. */
  NotifyEmail: "notify-email",
  /** Marks a tag expired when its time comes. Job ID: `<owner>|<name>|<expiry ms>`. */
  TagExpiry: "tag-expiry",
} as const;

export interface CallJob {
  callId: string;
  /** The hop the call was at when the timer started: a transfer restarts the timer. */
  hop?: number;
}

/** A call's timer job ID: each transfer (hop) starts a new timer, so an old one cannot fire. */
export const callTimerId = (callId: string, hop: number) => (hop === 0 ? callId : `${callId}.${hop}`);

export interface NotifyEmailJob {
  kind: "sms" | "missed";
  id: string;
}

export interface TagExpiryJob {
  ownerId: string;
  name: string;
}
