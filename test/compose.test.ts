// Docker cannot run on the test machines, so this checks the deployment files statically:
// docker-compose.yml wires the homeserver to its PostgreSQL and Redis, sets only settings the
// server knows, with values it accepts, and the Dockerfile starts the production entry point.
// The README's configuration table is generated from the same `settings` (`npm run spec:gen`,
// kept current by test/spec.test.ts); here each setting must have its row there, default and all.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parse } from "yaml";
import { loadConfig } from "../server/src/config/config.js";
import { settings } from "../server/src/config/settings.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown };
  ports?: unknown[];
}

/** A service's environment as a map, whichever of the two forms compose allows is used. */
function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf("=");
        return eq < 0 ? [entry, ""] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? "" : String(v)]));
}

function dependenciesOf(service: Service): string[] {
  const deps = service.depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}`, resolved against `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = vars[name];
    if (set !== undefined && set !== "") return set;
    if (op === "-") return arg ?? "";
    if (op === "?") throw new Error(`${name} is required: ${arg}`);
    return "";
  });
}

describe("docker-compose.yml and Dockerfile", () => {
  const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8")) as {
    services: Record<string, Service>;
  };
  const services = compose.services ?? {};
  const homeserver = services.homeserver ?? {};
  const env = environmentOf(homeserver);

  it("defines the homeserver, postgres and redis services", () => {
    expect(services).to.include.all.keys("homeserver", "postgres", "redis");
    expect(homeserver.build, "the homeserver is built from this repository").to.exist;
    expect(services.postgres!.image).to.match(/^postgres:/);
    expect(services.redis!.image).to.match(/^redis:/);
  });

  it("points the homeserver at the postgres and redis services", () => {
    const db = new URL(env.DATABASE_URL ?? "");
    expect(db.protocol).to.match(/^postgres(ql)?:$/);
    expect(db.hostname).to.equal("postgres");
    const pgEnv = environmentOf(services.postgres!);
    expect(decodeURIComponent(db.username)).to.equal(pgEnv.POSTGRES_USER);
    expect(decodeURIComponent(db.password)).to.equal(pgEnv.POSTGRES_PASSWORD);
    expect(db.pathname.slice(1)).to.equal(pgEnv.POSTGRES_DB);

    const redis = new URL(env.REDIS_URL ?? "");
    expect(redis.protocol).to.equal("redis:");
    expect(redis.hostname).to.equal("redis");
  });

  it("starts the homeserver only after postgres and redis are healthy", () => {
    expect(dependenciesOf(homeserver)).to.include.members(["postgres", "redis"]);
    if (!Array.isArray(homeserver.depends_on)) {
      expect(homeserver.depends_on?.postgres?.condition).to.equal("service_healthy");
      expect(homeserver.depends_on?.redis?.condition).to.equal("service_healthy");
    }
    expect(services.postgres!.healthcheck?.test, "postgres healthcheck").to.exist;
    expect(services.redis!.healthcheck?.test, "redis healthcheck").to.exist;
  });

  it("requires CALLSIGN_SECRET from the operator instead of shipping one", () => {
    expect(env.CALLSIGN_SECRET).to.match(/^\$\{CALLSIGN_SECRET:\?[^}]*\}$/);
  });

  it("sets only variables that are known settings", () => {
    const known = Object.keys(settings);
    for (const key of Object.keys(env)) expect(known, `${key} is not in settings`).to.include(key);
  });

  it("gives the homeserver a configuration the server accepts", () => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, interpolate(v, { CALLSIGN_SECRET: "s".repeat(64) })]),
    );
    const config = loadConfig(resolved);
    expect(config.listen.host).to.equal("0.0.0.0");
    expect(config.database.url).to.equal(env.DATABASE_URL);
    expect(config.redis.url).to.equal(env.REDIS_URL);
    const port = config.listen.port;
    expect(homeserver.ports?.map(String).some((p) => p.endsWith(`:${port}`))).to.equal(true);
  });

  it("has a Dockerfile that runs server/src/main.ts", () => {
    const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");
    const start = dockerfile
      .split("\n")
      .filter((line) => /^\s*(CMD|ENTRYPOINT)\b/.test(line))
      .join("\n");
    expect(start).to.include("server/src/main.ts");
    expect(dockerfile).to.match(/^FROM node:20/m);
  });
});

describe("README configuration table", () => {
  it("lists every setting with its default, in the generated section", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = /<!-- generated:config -->([\s\S]*?)<!-- \/generated:config -->/.exec(readme)?.[1];
    expect(section, "README.md has a <!-- generated:config --> section").to.be.a("string");
    const rows = section!.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows, "one row per setting").to.have.length(Object.keys(settings).length);
    for (const [name, def] of Object.entries(settings)) {
      const row = rows.find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `README row for ${name}`).to.be.a("string");
      const shown = row!.split("|")[2]!.trim();
      expect(shown, `default of ${name}`).to.equal(
        def.default === undefined ? "unset" : `\`${def.default}\``,
      );
    }
  });
});
