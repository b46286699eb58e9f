/** Jobs of the names subsystem (handlers in server/src/jobs/handlers/names.ts). */
import type { NameStateValue } from "../../../../protocol/callsign/names.js";

export const NameJobs = { Deadline: "name-deadline", Claimed: "name-claimed" } as const;

/** Tells a holder that a verified domain owner claimed their name. */
export interface NameClaimedJob {
  name: string;
  holderId: string;
  domain: string;
}

export interface NameDeadlineJob {
  name: string;
  /** The state the deadline belongs to and its time: the job acts only if both still hold. */
  state: NameStateValue;
  at: number;
}
