import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "./config.js";

describe("config", () => {
  it("defaults to the embedded mode on loopback", () => {
    const c = loadConfig({});
    expect(c.database.url).to.equal(undefined);
    expect(c.redis.url).to.equal(undefined);
    expect(c.listen).to.deep.equal({ host: "127.0.0.1", port: 8008 });
    expect(c.serverName).to.equal("localhost");
  });

  it("reports every bad setting at once, by name", () => {
    let err: ConfigError | undefined;
    try {
      loadConfig({ CALLSIGN_LISTEN_PORT: "http", CALLSIGN_TYPO: "1", DATABASE_URL: "mysql://db/x" });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).to.be.instanceOf(ConfigError);
    expect(err!.problems.map((p) => p.split(":")[0])).to.have.members([
      "CALLSIGN_LISTEN_PORT",
      "CALLSIGN_TYPO",
      "DATABASE_URL",
    ]);
  });

  it("requires a secret in production mode and a TURN secret with TURN URIs", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://h/db", REDIS_URL: "redis://h:6379" })).to.throw(
      ConfigError,
      /CALLSIGN_SECRET/,
    );
    expect(() => loadConfig({ CALLSIGN_TURN_URIS: "turn:h:3478" })).to.throw(
      ConfigError,
      /CALLSIGN_TURN_SECRET/,
    );
    const c = loadConfig({
      DATABASE_URL: "postgres://h/db",
      REDIS_URL: "redis://h:6379",
      CALLSIGN_SECRET: "x".repeat(32),
      CALLSIGN_DNS_SERVERS: "127.0.0.1:5353, [::1]:53",
    });
    expect(c.dnsServers).to.deep.equal(["127.0.0.1:5353", "[::1]:53"]);
  });

  it("reads a JSON config file, with the environment taking precedence", () => {
    const file = path.join(tmpdir(), `callsign-config-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ CALLSIGN_SERVER_NAME: "file.example", CALLSIGN_LISTEN_PORT: 9000 }));
    const c = loadConfig({ CALLSIGN_CONFIG_FILE: file, CALLSIGN_LISTEN_PORT: "9001" });
    expect(c.serverName).to.equal("file.example");
    expect(c.listen.port).to.equal(9001);
    expect(() => loadConfig({ CALLSIGN_CONFIG_FILE: "/nonexistent.json" })).to.throw(
      ConfigError,
      /cannot read/,
    );
  });
});
