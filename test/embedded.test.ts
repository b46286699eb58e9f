/**
 * The embedded default (what `npm start` runs): PGlite in a data folder, jobs in process, no
 * PostgreSQL or Redis. Started as a real child process; its data survives a restart.
 */
import { expect } from "chai";
import { api, CS, register } from "./helpers/api.js";
import { TestNetwork } from "./helpers/test-network.js";

describe("embedded mode (PGlite, in-process jobs)", function () {
  this.timeout(120_000);
  let net: TestNetwork;
  before(async () => {
    net = await TestNetwork.start({ mode: "embedded", spawn: true });
  });
  after(() => net?.close());

  it("runs without PostgreSQL or Redis and keeps its data across a restart", async () => {
    expect(net.env.DATABASE_URL).to.equal(undefined);
    expect(net.env.REDIS_URL).to.equal(undefined);
    const health = await api(net.baseUrl, "GET", "/health");
    expect(health.body).to.include({ status: "ok", embedded: true });

    const alice = await register(net.baseUrl, { email: "alice@example.test", username: "alice" });
    const bob = await register(net.baseUrl, { email: "bob@example.test" });
    expect(alice.status).to.equal(200);
    const room = await api(net.baseUrl, "POST", `${CS}/createRoom`, {
      token: alice.body.access_token,
      body: { invite: [bob.body.user_id], name: "kept" },
    });
    const roomId = encodeURIComponent(room.body.room_id as string);
    for (let i = 0; i < 5; i++) {
      await api(net.baseUrl, "PUT", `${CS}/rooms/${roomId}/send/m.room.message/kept-${i}`, {
        token: alice.body.access_token,
        body: { msgtype: "m.text", body: `before restart ${i}` },
      });
    }

    await net.servers[0]!.stop();
    const again = await net.addServer();

    const login = await api(again.baseUrl, "POST", `${CS}/login`, {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: "alice" },
        password: "correct horse battery",
      },
    });
    expect(login.body.user_id).to.equal(alice.body.user_id);
    const old = await api(again.baseUrl, "GET", `${CS}/account/whoami`, { token: alice.body.access_token });
    expect(old.body.user_id, "tokens survive too").to.equal(alice.body.user_id);
    const page = await api<{ chunk: { content: { body?: string } }[] }>(
      again.baseUrl,
      "GET",
      `${CS}/rooms/${roomId}/messages?dir=b&limit=5`,
      { token: login.body.access_token as string },
    );
    expect(page.body.chunk.map((e) => e.content.body)).to.deep.equal(
      [4, 3, 2, 1, 0].map((i) => `before restart ${i}`),
    );
    const carol = await register(again.baseUrl, { email: "carol@example.test" });
    const n = (r: typeof carol) => Number(r.body.user_id.slice(1).split(":")[0]);
    expect(n(carol)).to.equal(n(bob) + 1);
  });
});
