/** Jobs of the billing subsystem (handlers in server/src/jobs/handlers/billing.ts). */
import type { SubscriptionStateValue } from "../../../../protocol/callsign/billing.js";

export const BillingJobs = {
  /**
   * Moves a subscription past a deadline — trial end or period end (→ past due), pause time
   * (→ paused) — if that deadline still holds. Job ID: `<serviceId>|<state>|<deadline ms>`.
   */
  SubscriptionDeadline: "subscription-deadline",
} as const;

export interface SubscriptionDeadlineJob {
  serviceId: string;
  state: SubscriptionStateValue;
  at: number;
}
