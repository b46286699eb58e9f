/** Operational endpoints (not part of the client API). */
export const OpsRoutes = { health: "/health", metrics: "/metrics" } as const;
