import { randomBytes } from "node:crypto";
import { expect } from "chai";
import pg from "pg";
import { InProcessJobEngine } from "./in-process-engine.js";
import { describeJobEngineContract } from "./job-engine-contract.js";
import { jobKey } from "./job-key.js";
import { MemoryJobStore, type StoredJob } from "./job-store.js";
import { SCHEDULED_JOBS_DDL, SqlJobStore, type SqlQueryable } from "./sql-job-store.js";

describeJobEngineContract("InProcessJobEngine + MemoryJobStore", async () => {
  const store = new MemoryJobStore();
  return { create: () => new InProcessJobEngine({ store }), cleanup: async () => {} };
});

describe("InProcessJobEngine timers", () => {
  it("re-arms timers longer than one timer can hold", async () => {
    const engine = new InProcessJobEngine({ store: new MemoryJobStore(), maxTimerMs: 20 });
    const runs: number[] = [];
    engine.define("far", async () => void runs.push(Date.now()));
    await engine.start();
    const addedAt = Date.now();
    await engine.add("far", null, { delayMs: 120 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(runs, "ran on the first timer").to.have.length(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await engine.idle();
    await engine.close();
    expect(runs).to.have.length(1);
    expect(runs[0]! - addedAt).to.be.at.least(120);
  });
});

describe("SqlJobStore on PostgreSQL", () => {
  const schema = `jobs_test_${randomBytes(6).toString("hex")}`;
  let admin: pg.Pool;
  let pool: pg.Pool;
  let db: SqlQueryable;

  before(async () => {
    const url = "postgres://postgres@127.0.0.1:5432/test";
    admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
    db = { query: async (sql, params) => (await pool.query(sql, params)).rows };
    await db.query(SCHEDULED_JOBS_DDL);
  });

  after(async () => {
    await pool?.end();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  describeJobEngineContract("InProcessJobEngine + SqlJobStore", async () => ({
    create: () => new InProcessJobEngine({ store: new SqlJobStore(db) }),
    cleanup: async () => void (await db.query("DELETE FROM scheduled_jobs")),
  }));

  describe("store", () => {
    afterEach(async () => void (await db.query("DELETE FROM scheduled_jobs")));

    it("saves once per id, reschedules, loads soonest first and deletes", async () => {
      const store = new SqlJobStore(db);
      const job = (id: string, runAt: number, data: unknown): StoredJob => ({
        id: jobKey("j", id),
        name: "j",
        data,
        runAt,
        attempt: 0,
        maxAttempts: 5,
        backoffMs: 1000,
      });
      const t = Date.UTC(2030, 0, 1, 12);
      expect(await store.save(job("a", t + 1000, { nested: [1, "x", null] }))).to.equal(true);
      expect(await store.save(job("a", t, "other"))).to.equal(false);
      expect(await store.save(job("b", t + 500, "text"))).to.equal(true);
      expect(await store.save(job("c", t + 2000, undefined))).to.equal(true);
      await store.reschedule(jobKey("j", "c"), t, 2);
      expect(await store.loadAll()).to.deep.equal([
        { ...job("c", t, null), attempt: 2 },
        job("b", t + 500, "text"),
        job("a", t + 1000, { nested: [1, "x", null] }),
      ]);
      await store.delete(jobKey("j", "b"));
      expect((await store.loadAll()).map((j) => j.id)).to.deep.equal([jobKey("j", "c"), jobKey("j", "a")]);
    });
  });
});
