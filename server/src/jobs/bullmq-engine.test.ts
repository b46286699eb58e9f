import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { BullmqJobEngine } from "./bullmq-engine.js";
import { describeJobEngineContract } from "./job-engine-contract.js";

const REDIS_URL = "redis://127.0.0.1:6379";

/** Deletes every key under `prefix`: what obliterate does, without needing the engine's queue. */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}

describeJobEngineContract("BullmqJobEngine", async () => {
  const prefix = `jobs-test-${randomUUID()}`;
  return {
    create: () => new BullmqJobEngine({ connection: { url: REDIS_URL }, prefix }),
    cleanup: () => deleteKeys(prefix),
  };
});
