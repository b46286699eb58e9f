/** Jobs of federation delivery (handlers in server/src/jobs/handlers/federation.ts). */
export const FederationJobs = {
  /**
   * Sends what is queued for one peer provider, a transaction at a time, until nothing is left
   * or an attempt fails (then the next run waits out the back-off). Job ID: `deliveryJobId`.
   */
  Deliver: "federation-deliver",
} as const;

export interface DeliverJob {
  destination: string;
}

/**
 * The job ID of a destination's next run: its server name and generation. The generation grows
 * whenever a sender lets go of the destination, so a wake-up after that is a new job even while
 * the engine still holds the finishing one's ID (adding a pending or running ID is a no-op);
 * wake-ups within one generation are one job.
 */
export const deliveryJobId = (destination: string, generation: number) => `${destination}|${generation}`;
