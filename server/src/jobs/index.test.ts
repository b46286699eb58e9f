import { expect } from "chai";
import { BullmqJobEngine, InProcessJobEngine, MemoryJobStore, createJobEngine } from "./index.js";

describe("createJobEngine", () => {
  it("picks BullMQ when given a Redis URL and the in-process engine otherwise", async () => {
    const store = new MemoryJobStore();
    const bullmq = createJobEngine({ redisUrl: "redis://127.0.0.1:6379", prefix: "jobs-test-unused", store });
    const inProcess = createJobEngine({ prefix: "jobs-test-unused", store });
    await Promise.all([bullmq.close(), inProcess.close()]);
    expect(bullmq).to.be.instanceOf(BullmqJobEngine);
    expect(inProcess).to.be.instanceOf(InProcessJobEngine);
  });
});
