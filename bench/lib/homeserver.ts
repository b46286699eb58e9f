/**
 * A Callsign homeserver for a benchmark: spawned exactly as production runs it
 * (`server/src/main.ts`, PostgreSQL + Redis, its own database and Redis prefix, the test suite's
 * network helper), listening on loopback; its process ID is there to watch its CPU and memory.
 * Rate limits are lifted: the load is ours, from one address.
 */
import { TestFederation } from "../../test/helpers/federation-network.js";
import { TestNetwork } from "../../test/helpers/test-network.js";

export interface BenchServer {
  baseUrl: string;
  pid: number;
  net: TestNetwork;
  close(): Promise<void>;
}

/** Quiet, production, and profiled when the runner asks for it (bench/lib/profile.ts). */
const quiet = (): Record<string, string> => ({
  CALLSIGN_LOG_LEVEL: "error",
  NODE_ENV: "production",
  ...(process.env.BENCH_NODE_OPTIONS && {
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS,
    BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR!,
  }),
});

export async function startHomeserver(env: Record<string, string> = {}): Promise<BenchServer> {
  const net = await TestNetwork.start({ spawn: true, env: { ...quiet(), ...env } });
  const server = net.servers[0]!;
  return { baseUrl: server.baseUrl, pid: server.child!.pid!, net, close: () => net.close() };
}

/** Providers on loopback addresses (127.0.0.2, .3, …) signing their requests to each other. */
export async function startFederation(
  names: string[],
  env: Record<string, string> = {},
): Promise<TestFederation> {
  return TestFederation.start(names, { ...quiet(), ...env });
}
