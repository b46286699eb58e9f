/** Jobs of Webcam services (handlers in server/src/jobs/handlers/services.ts). */
export const ServiceJobs = {
  /** E-mails an address added as an operator. Job ID: `invite|<serviceId>|<email>`. */
  OperatorInvite: "operator-invite",
} as const;

export interface OperatorInviteJob {
  serviceId: string;
  email: string;
}
