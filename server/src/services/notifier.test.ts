import { expect } from "chai";
import pino from "pino";
import { Notifier } from "./notifier.js";

describe("Notifier (in-process wake-ups)", () => {
  const notifier = () => new Notifier(undefined, "test", pino({ level: "silent" }));

  it("wakes every wait of a user, and only that user's, at a publish", async () => {
    const n = notifier();
    const a1 = n.subscribe("@a:x", 10_000);
    const a2 = n.subscribe("@a:x", 10_000);
    const a3 = n.subscribe("@a:x", 10_000);
    const b = n.subscribe("@b:x", 50);
    expect(n.waiting).to.equal(4);
    n.publish(7, ["@a:x", "@a:x", "@nobody:x"]);
    expect(await Promise.all([a1.woken, a2.woken, a3.woken])).to.deep.equal([true, true, true]);
    expect(n.waiting).to.equal(1);
    expect(await b.woken).to.equal(false);
    expect(n.waiting).to.equal(0);
  });

  it("settles false at the time-out or at cancel, and a settled wait stays as it was", async () => {
    const n = notifier();
    const first = n.subscribe("@a:x", 10_000);
    const middle = n.subscribe("@a:x", 10_000);
    const last = n.subscribe("@a:x", 10_000);
    middle.cancel();
    expect(await middle.woken).to.equal(false);
    first.cancel();
    expect(n.waiting).to.equal(1);
    n.publish(8, ["@a:x"]);
    expect(await last.woken).to.equal(true);
    last.cancel();
    n.publish(9, ["@a:x"]);
    expect(await first.woken).to.equal(false);
    expect(n.waiting).to.equal(0);
    expect(await n.subscribe("@a:x", 10).woken).to.equal(false);
  });

  it("keeps the newest position announced here or by another process (through Redis)", async function () {
    this.timeout(10_000);
    const prefix = `notifier-test-${process.pid}-${Date.now()}`;
    const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
    const [here, there] = [0, 1].map(() => new Notifier(url, prefix, pino({ level: "silent" })));
    await Promise.all([here!.start(), there!.start()]);
    try {
      here!.publish(40, []);
      here!.publish(30, ["@a:x"]);
      expect(here!.latest, "nobody to wake, still announced here; never moves back").to.equal(40);
      here!.publish(42, ["@a:x"]);
      const until = Date.now() + 5000;
      while (there!.latest < 42 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      expect(there!.latest).to.equal(42);
    } finally {
      await Promise.all([here!.close(), there!.close()]);
    }
  });

  it("answers every wait at shutdown and says it is closed", async () => {
    const n = notifier();
    const waits = ["@a:x", "@a:x", "@b:x"].map((u) => n.subscribe(u, 10_000));
    await n.close();
    expect(n.closed).to.equal(true);
    expect(await Promise.all(waits.map((w) => w.woken))).to.deep.equal([true, true, true]);
    expect(n.waiting).to.equal(0);
  });
});
