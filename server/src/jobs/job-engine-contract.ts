/**
 * The behaviour every `JobEngine` must show, as one mocha suite run once per engine (see the
 * *.test.ts files beside it). Timings are short but every check can fail: a job that runs early,
 * twice, or not at all is caught.
 */
import { expect } from "chai";
import { UnrecoverableJobError, type JobEngine, type JobHandler, type JobMeta } from "./types.js";

/** Builds engines on one backing (a Redis prefix, a store): a second engine is a restart. */
export interface EngineHarness {
  create(): JobEngine;
  /** Removes everything the engines stored; called after they are all closed. */
  cleanup(): Promise<void>;
}

interface Call {
  data: unknown;
  meta: JobMeta;
  at: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A handler that records its calls; `behave` may throw or block. */
function recorder(behave: (call: Call) => void | Promise<void> = () => {}) {
  const calls: Call[] = [];
  const handler: JobHandler<unknown> = async (data, meta) => {
    const call = { data, meta, at: Date.now() };
    calls.push(call);
    await behave(call);
  };
  return { calls, handler, until: (n: number) => until(() => calls.length >= n, `${n} call(s)`) };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export function describeJobEngineContract(label: string, makeHarness: () => Promise<EngineHarness>): void {
  describe(`${label}: JobEngine contract`, () => {
    let harness: EngineHarness;
    const engines: JobEngine[] = [];

    /** A new engine with `handlers` defined, started unless told otherwise. */
    async function engine(handlers: Record<string, JobHandler<unknown>>, start = true): Promise<JobEngine> {
      const created = harness.create();
      engines.push(created);
      for (const [name, handler] of Object.entries(handlers)) created.define(name, handler);
      if (start) await created.start();
      return created;
    }

    beforeEach(async () => {
      harness = await makeHarness();
    });

    afterEach(async () => {
      for (const created of engines.splice(0).reverse()) await created.close();
      await harness.cleanup();
    });

    it("runs a job with its data and meta", async () => {
      const greet = recorder();
      const jobs = await engine({ greet: greet.handler });
      const id = await jobs.add("greet", { who: "ada" });
      await jobs.idle();
      expect(greet.calls.map((c) => [c.data, c.meta])).to.deep.equal([
        [{ who: "ada" }, { id, name: "greet", attempt: 1 }],
      ]);
    });

    it("runs a delayed job after its delay and not before", async () => {
      const later = recorder();
      const jobs = await engine({ later: later.handler });
      const addedAt = Date.now();
      await jobs.add("later", null, { delayMs: 250 });
      await jobs.idle(); // a delayed job in the future is not work to wait for
      await sleep(150);
      expect(later.calls, "ran before its delay").to.have.length(0);
      await later.until(1);
      expect(later.calls[0]!.at - addedAt).to.be.at.least(250);
    });

    it("ignores a duplicate jobId while the job is pending, per job name", async () => {
      const dup = recorder();
      const other = recorder();
      const jobs = await engine({ dup: dup.handler, other: other.handler });
      expect(await jobs.add("dup", 1, { jobId: "call:1|x%", delayMs: 50 })).to.equal("call:1|x%");
      expect(await jobs.add("dup", 2, { jobId: "call:1|x%" })).to.equal("call:1|x%");
      await jobs.add("other", 3, { jobId: "call:1|x%" });
      await dup.until(1);
      await jobs.idle();
      expect(dup.calls.map((c) => [c.data, c.meta.id])).to.deep.equal([[1, "call:1|x%"]]);
      expect(other.calls.map((c) => c.data)).to.deep.equal([3]);
      // Once done the id is free again.
      await jobs.add("dup", 4, { jobId: "call:1|x%" });
      await jobs.idle();
      expect(dup.calls.map((c) => c.data)).to.deep.equal([1, 4]);
    });

    it("ignores a duplicate jobId while the job is running", async () => {
      const release = gate();
      const slow = recorder(() => release.opened);
      const jobs = await engine({ slow: slow.handler });
      await jobs.add("slow", 1, { jobId: "s" });
      await slow.until(1);
      await jobs.add("slow", 2, { jobId: "s" });
      release.open();
      await jobs.idle();
      expect(slow.calls.map((c) => c.data)).to.deep.equal([1]);
    });

    it("retries with exponential back-off until an attempt succeeds", async () => {
      const flaky = recorder(({ meta }) => {
        if (meta.attempt < 3) throw new Error(`attempt ${meta.attempt} fails`);
      });
      const jobs = await engine({ flaky: flaky.handler });
      await jobs.add("flaky", { n: 1 }, { attempts: 5, backoffMs: 40 });
      await flaky.until(3);
      await jobs.idle();
      await sleep(100); // time enough for a wrong fourth attempt
      const [a, b, c] = flaky.calls;
      expect(flaky.calls.map((call) => [call.meta.attempt, call.data])).to.deep.equal([
        [1, { n: 1 }],
        [2, { n: 1 }],
        [3, { n: 1 }],
      ]);
      expect(b!.at - a!.at, "first back-off").to.be.at.least(40);
      expect(c!.at - b!.at, "second back-off doubles").to.be.at.least(80);
    });

    it("makes exactly one attempt when the handler throws UnrecoverableJobError", async () => {
      const doomed = recorder(() => {
        throw new UnrecoverableJobError("the call is gone");
      });
      // The same options with a plain error do retry within the window observed.
      const retried = recorder(() => {
        throw new Error("try again");
      });
      const jobs = await engine({ doomed: doomed.handler, retried: retried.handler });
      await jobs.add("doomed", null, { attempts: 3, backoffMs: 1 });
      await jobs.add("retried", null, { attempts: 2, backoffMs: 1 });
      await retried.until(2);
      await sleep(100);
      await jobs.idle();
      expect(doomed.calls).to.have.length(1);
      expect(retried.calls).to.have.length(2);
    });

    it("cancels a delayed job", async () => {
      const cancelled = recorder();
      const marker = recorder();
      const jobs = await engine({ cancelled: cancelled.handler, marker: marker.handler });
      await jobs.add("cancelled", null, { jobId: "c1", delayMs: 100 });
      await jobs.cancel("cancelled", "c1");
      await jobs.cancel("cancelled", "no-such-job");
      await jobs.add("marker", null, { delayMs: 200 });
      await marker.until(1);
      await jobs.idle();
      expect(cancelled.calls).to.have.length(0);
    });

    it("idle() waits for due and running jobs, and rejects on time-out", async () => {
      const release = gate();
      const work = recorder(() => sleep(30));
      const stuck = recorder(() => release.opened);
      const jobs = await engine({ work: work.handler, stuck: stuck.handler });
      for (let i = 0; i < 5; i++) await jobs.add("work", i);
      await jobs.idle();
      expect(work.calls.map((c) => c.data)).to.have.members([0, 1, 2, 3, 4]);

      await jobs.add("stuck", null);
      const error = await jobs.idle(100).then(
        () => undefined,
        (err: unknown) => err,
      );
      release.open();
      expect(String(error)).to.match(/not idle after 100 ms/);
      await jobs.idle();
      expect(stuck.calls).to.have.length(1);
    });

    it("runs a delayed job exactly once after a restart", async () => {
      const before = recorder();
      const after = recorder();
      const first = await engine({ restart: before.handler });
      const addedAt = Date.now();
      await first.add("restart", { n: 1 }, { jobId: "r1", delayMs: 300 });
      await first.close();

      const second = await engine({ restart: after.handler });
      await after.until(1);
      await second.idle();
      expect(before.calls).to.have.length(0);
      expect(after.calls.map((c) => [c.data, c.meta.id])).to.deep.equal([[{ n: 1 }, "r1"]]);
      expect(after.calls[0]!.at - addedAt).to.be.at.least(300);
    });
  });
}
