// Docker cannot run on the test machines, so this checks the deployment files statically:
// docker-compose.yml wires the homeserver to its PostgreSQL, Redis, Janus and coturn, sets only
// settings the server knows, with values it accepts, takes every secret from the operator, and
// gives Janus and coturn the same secrets and port ranges the homeserver and the published ports
// expect. The entrypoints of deploy/janus and deploy/coturn are run here in their `render` mode
// (bash and awk, no Docker) with compose's environment, and what they write is read back.
// The Dockerfiles must install what their builds need. The README's configuration table is
// generated from the same `settings` (`npm run spec:gen`, kept current by test/spec.test.ts);
// here each setting must have its row there, default and all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parse } from "yaml";
import {
  JANUS_ADMIN_PORT,
  JANUS_API_PORT,
  JANUS_CONF_DIR,
  JANUS_PLACEHOLDERS,
  JANUS_TEMPLATE_DIR,
  renderJanusTemplates,
} from "../scripts/janus-config.js";
import { loadConfig, type Config } from "../server/src/config/config.js";
import { settings } from "../server/src/config/settings.js";
import {
  aptPackages,
  dependenciesOf,
  dockerStages,
  environmentOf,
  interpolate,
  operatorValues,
  parseJcfg,
  portsOf,
  renderEntrypoint,
  requiredVariable,
  shellDefault,
  stepsOf,
  type Service,
} from "./helpers/deploy-files.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const BUILD_TOOLS = ["python3", "make", "g++"];

describe("docker-compose.yml and Dockerfile", () => {
  const composeText = readFileSync(path.join(root, "docker-compose.yml"), "utf8");
  const compose = parse(composeText) as { services: Record<string, Service> };
  const services = compose.services ?? {};
  const homeserver = services.homeserver ?? {};
  const env = environmentOf(homeserver);
  const operator = operatorValues(composeText);
  /** A service's environment as compose hands it over, with the operator's sample values. */
  const resolved = (service: Service | undefined): Record<string, string> =>
    Object.fromEntries(
      Object.entries(environmentOf(service ?? {})).map(([k, v]) => [k, interpolate(v, operator)]),
    );
  const config = (): Config => loadConfig(resolved(homeserver));

  it("defines the homeserver, postgres, redis, janus and coturn services", () => {
    expect(services).to.include.all.keys("homeserver", "postgres", "redis", "janus", "coturn");
    expect(homeserver.build, "the homeserver is built from this repository").to.exist;
    expect(services.postgres!.image).to.match(/^postgres:/);
    expect(services.redis!.image).to.match(/^redis:/);
    expect(services.janus!.build, "janus is built from deploy/janus").to.equal("deploy/janus");
    expect(services.coturn!.build, "coturn is built from deploy/coturn").to.equal("deploy/coturn");
    expect(existsSync(path.join(root, "deploy/janus/Dockerfile"))).to.equal(true);
    expect(existsSync(path.join(root, "deploy/coturn/Dockerfile"))).to.equal(true);
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

  it("takes every secret from the operator, and gives Janus and coturn the homeserver's", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        if (/SECRET|_KEY$/.test(key))
          expect(requiredVariable(value), `${name}: ${key} must be \${VAR:?…}`).to.be.a("string");
      }
    }
    const janus = environmentOf(services.janus!);
    const coturn = environmentOf(services.coturn!);
    const pairs: [string | undefined, string | undefined][] = [
      [janus.JANUS_API_SECRET, env.CALLSIGN_JANUS_API_SECRET],
      [janus.JANUS_ADMIN_SECRET, env.CALLSIGN_JANUS_ADMIN_SECRET],
      [janus.JANUS_ROOM_ADMIN_KEY, env.CALLSIGN_JANUS_ROOM_ADMIN_KEY],
      [coturn.TURN_SECRET, env.CALLSIGN_TURN_SECRET],
    ];
    for (const [theirs, ours] of pairs) {
      expect(requiredVariable(theirs), `${theirs} is the homeserver's ${ours}`).to.equal(
        requiredVariable(ours),
      );
    }
    // Operators export these for compose; one named CALLSIGN_* would also reach `npm start`,
    // which refuses unknown CALLSIGN_* variables.
    for (const name of Object.keys(operator).filter((n) => n.startsWith("CALLSIGN_")))
      expect(Object.keys(settings), `${name} is not a setting`).to.include(name);
  });

  it("sets only variables that are known settings", () => {
    const known = Object.keys(settings);
    for (const key of Object.keys(env)) expect(known, `${key} is not in settings`).to.include(key);
  });

  it("gives the homeserver a configuration the server accepts", () => {
    const c = config();
    expect(c.listen.host).to.equal("0.0.0.0");
    expect(c.database.url).to.equal(env.DATABASE_URL);
    expect(c.redis.url).to.equal(env.REDIS_URL);
    const port = c.listen.port;
    expect(homeserver.ports?.map(String).some((p) => p.endsWith(`:${port}`))).to.equal(true);
    expect(c.janus, "one Janus instance").to.have.length(1);
    expect(c.turn.uris, "TURN URIs").to.not.be.empty;
    expect(c.turn.secret, "TURN secret").to.be.a("string");
  });

  it("points the homeserver at Janus on the compose network and publishes neither Janus API", () => {
    const [instance] = config().janus;
    const api = new URL(instance!.url);
    const admin = new URL(instance!.adminUrl);
    expect([api.hostname, admin.hostname]).to.deep.equal(["janus", "janus"]);
    expect([Number(api.port), Number(admin.port)]).to.deep.equal([JANUS_API_PORT, JANUS_ADMIN_PORT]);
    expect(dependenciesOf(homeserver)).to.include.members(["janus", "coturn"]);
    for (const mapping of portsOf(services.janus!)) {
      for (const port of [JANUS_API_PORT, JANUS_ADMIN_PORT]) {
        const [min, max] = mapping.container;
        expect(port < min || port > max, `janus publishes port ${port}`).to.equal(true);
      }
    }
  });

  it("keeps deploy/janus/conf/ what scripts/janus-config.ts renders with writeJanusConfig", async () => {
    const rendered = await renderJanusTemplates();
    const hint = "run `npx tsx scripts/janus-config.ts`";
    const dir = path.join(root, JANUS_TEMPLATE_DIR);
    expect(readdirSync(dir).sort(), hint).to.deep.equal([...rendered.keys()].sort());
    for (const [name, text] of rendered)
      expect(readFileSync(path.join(dir, name), "utf8"), `${JANUS_TEMPLATE_DIR}/${name}: ${hint}`).to.equal(
        text,
      );
  });

  describe("the entrypoints, with compose's environment", () => {
    let out = "";
    beforeEach(() => {
      out = mkdtempSync(path.join(tmpdir(), "callsign-compose-"));
    });
    afterEach(() => rmSync(out, { recursive: true, force: true }));

    const janusEnv = (): Record<string, string> => ({
      ...resolved(services.janus),
      JANUS_LOCAL_IP: "172.18.0.5",
      JANUS_TEMPLATE_DIR: path.join(root, JANUS_TEMPLATE_DIR),
      JANUS_CONF_DIR: out,
    });

    it("fills Janus's config with the homeserver's secrets and the published RTP range", () => {
      const run = renderEntrypoint("deploy/janus/entrypoint.sh", janusEnv());
      expect(run.status, run.stderr).to.equal(0);
      const read = (file: string): Record<string, Record<string, string>> => {
        const text = readFileSync(path.join(out, file), "utf8");
        expect(text, `${file}: a placeholder left`).to.not.include("${");
        return parseJcfg(text);
      };
      const core = read("janus.jcfg");
      const ws = read("janus.transport.websockets.jcfg");
      const room = read("janus.plugin.videoroom.jcfg");
      const [instance] = config().janus;
      expect(core.general?.api_secret).to.equal(instance!.apiSecret);
      expect(core.general?.admin_secret).to.equal(instance!.adminSecret);
      expect(room.general?.admin_key).to.equal(instance!.roomAdminKey);
      expect(ws.general?.ws_port).to.equal(new URL(instance!.url).port);
      expect(ws.admin?.admin_ws_port).to.equal(new URL(instance!.adminUrl).port);
      expect([ws.general?.ws_ip, core.general?.interface]).to.deep.equal(["172.18.0.5", "172.18.0.5"]);

      // Browsers reach the media where the TURN URIs point, which must be a real address.
      const mapping = core.nat?.nat_1_1_mapping;
      expect(mapping).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      for (const uri of config().turn.uris) expect(uri).to.match(new RegExp(`^turn:${mapping}:`));

      const udp = portsOf(services.janus!).filter((p) => p.protocol === "udp");
      expect(udp, "one published UDP range").to.have.length(1);
      // Candidates name the ports Janus uses: the host must forward the same numbers.
      expect(udp[0]!.host).to.deep.equal(udp[0]!.container);
      expect(udp[0]!.container.join("-"), "published = rtp_port_range").to.equal(core.media?.rtp_port_range);
    });

    it("refuses a Janus secret missing or malformed, and overlapping port ranges", () => {
      const { JANUS_API_SECRET: _, ...without } = janusEnv();
      const cases: [Record<string, string>, string][] = [
        [without, "JANUS_API_SECRET"],
        [{ ...janusEnv(), JANUS_ADMIN_SECRET: 'x" admin_secret = "y' }, "JANUS_ADMIN_SECRET"],
        [{ ...janusEnv(), JANUS_NAT_1_1_MAPPING: "" }, "JANUS_NAT_1_1_MAPPING"],
        [{ ...janusEnv(), JANUS_RTP_PORTS: "20000-20250", JANUS_SIP_RTP_PORTS: "20200-20299" }, "overlap"],
      ];
      for (const [bad, named] of cases) {
        const run = renderEntrypoint("deploy/janus/entrypoint.sh", bad);
        expect(run.status, named).to.equal(64);
        expect(run.stderr).to.include(named);
        expect(existsSync(path.join(out, "janus.jcfg")), "no config written").to.equal(false);
      }
    });

    it("gives coturn the homeserver's TURN secret and realm, and publishes its bounded relay range", () => {
      const run = renderEntrypoint("deploy/coturn/entrypoint.sh", {
        ...resolved(services.coturn),
        TURN_CONF_DIR: out,
      });
      expect(run.status, run.stderr).to.equal(0);
      const conf = new Map<string, string[]>();
      for (const line of readFileSync(path.join(out, "turnserver.conf"), "utf8").split("\n")) {
        if (!line || line.startsWith("#")) continue;
        const eq = line.indexOf("=");
        const [key, value] = eq < 0 ? [line, ""] : [line.slice(0, eq), line.slice(eq + 1)];
        conf.set(key, [...(conf.get(key) ?? []), value]);
      }
      const c = config();
      expect(conf.has("use-auth-secret")).to.equal(true);
      expect(conf.get("static-auth-secret")).to.deep.equal([c.turn.secret]);
      expect(conf.get("realm")).to.deep.equal([c.serverName]);

      const [min, max] = [Number(conf.get("min-port")?.[0]), Number(conf.get("max-port")?.[0])];
      expect(max - min + 1, "relay ports").to.be.within(2, 1000);
      const published = portsOf(services.coturn!);
      const relay = published.find(
        (p) => p.protocol === "udp" && p.container[0] === min && p.container[1] === max,
      );
      expect(relay, `relay range ${min}-${max} published`).to.exist;
      expect(relay!.host).to.deep.equal(relay!.container);

      const listening = Number(conf.get("listening-port")?.[0]);
      for (const protocol of ["udp", "tcp"]) {
        expect(
          published.some(
            (p) => p.protocol === protocol && p.host[0] === listening && p.container[0] === listening,
          ),
          `${listening}/${protocol} published`,
        ).to.equal(true);
      }
      const external = conf.get("external-ip")?.[0];
      for (const uri of c.turn.uris)
        expect(uri).to.match(new RegExp(`^turn:${external}:${listening}\\?transport=`));
      // Relayed media reaches Janus at its public address even when that address is private.
      expect(conf.get("allowed-peer-ip")).to.include(resolved(services.janus).JANUS_NAT_1_1_MAPPING);
    });
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

  it("installs python3, make and g++ before every npm ci, and keeps them out of the runtime image", () => {
    const stages = dockerStages("Dockerfile");
    let npmCi = 0;
    for (const stage of stages) {
      const steps = stepsOf(stages, stage);
      steps.forEach((step, i) => {
        if (step.op !== "RUN" || !/\bnpm ci\b/.test(step.args)) return;
        npmCi++;
        const installed = steps.slice(0, i).flatMap(aptPackages);
        for (const tool of BUILD_TOOLS)
          expect(installed, `stage ${stage.name ?? stage.from}: ${tool} before ${step.args}`).to.include(
            tool,
          );
      });
    }
    expect(npmCi, "npm ci runs").to.be.greaterThan(0);
    const runtime = stages.at(-1)!;
    expect(runtime.from, "the runtime image starts from node:20").to.match(/^node:20/);
    const runtimePackages = stepsOf(stages, runtime).flatMap(aptPackages);
    for (const tool of BUILD_TOOLS) expect(runtimePackages, "runtime image").to.not.include(tool);
    const copy = runtime.steps.find((s) => s.op === "COPY" && /\bnode_modules\b/.test(s.args));
    const source = stages.find((s) => s.name === /--from=(\S+)/.exec(copy?.args ?? "")?.[1]);
    expect(source, "node_modules copied from a build stage").to.exist;
    const production = stepsOf(stages, source!).some(
      (s) => s.op === "RUN" && /\bnpm ci\b.*--omit=dev/.test(s.args),
    );
    expect(production, "that stage runs npm ci --omit=dev").to.equal(true);
  });

  it("builds Janus from Debian's package, with the templates and the entrypoint that fills them", () => {
    const stages = dockerStages("deploy/janus/Dockerfile");
    expect(stages).to.have.length(1);
    const [janus] = stages;
    expect(janus!.from).to.match(/^debian:bookworm/);
    const packages = janus!.steps.flatMap(aptPackages);
    expect(packages).to.include("janus");
    for (const node of ["nodejs", "npm"]) expect(packages).to.not.include(node);

    const script = readFileSync(path.join(root, "deploy/janus/entrypoint.sh"), "utf8");
    const copies = janus!.steps.filter((s) => s.op === "COPY").map((s) => s.args.split(/\s+/));
    expect(copies).to.deep.include(["conf/", `${shellDefault(script, "TEMPLATE_DIR")}/`]);
    expect(shellDefault(script, "CONF_DIR")).to.equal(JANUS_CONF_DIR);
    const entrypoint = copies.find((c) => c[0] === "entrypoint.sh")?.[1];
    expect(entrypoint, "entrypoint.sh copied").to.be.a("string");
    const command = path.basename(entrypoint!);
    expect(
      janus!.steps.some((s) => s.op === "RUN" && s.args.includes(`${command} link`)),
      "modules linked",
    ).to.equal(true);
    expect(janus!.steps.find((s) => s.op === "ENTRYPOINT")?.args).to.include(`"${command}"`);
    expect(janus!.steps.some((s) => s.op === "HEALTHCHECK")).to.equal(true);
    // The entrypoint fills exactly the placeholders the templates hold.
    const filled = /^PLACEHOLDERS="([^"]*)"$/m.exec(script)?.[1]?.split(" ");
    expect(filled?.sort()).to.deep.equal(Object.values(JANUS_PLACEHOLDERS).sort());
  });

  it("builds coturn from Debian's package with its entrypoint", () => {
    const stages = dockerStages("deploy/coturn/Dockerfile");
    expect(stages).to.have.length(1);
    const [coturn] = stages;
    expect(coturn!.from).to.match(/^debian:bookworm/);
    expect(coturn!.steps.flatMap(aptPackages)).to.include("coturn");
    const copy = coturn!.steps.find((s) => s.op === "COPY" && s.args.startsWith("entrypoint.sh "));
    const command = path.basename(copy?.args.split(/\s+/)[1] ?? "");
    expect(coturn!.steps.find((s) => s.op === "ENTRYPOINT")?.args).to.include(`"${command}"`);
    expect(coturn!.steps.some((s) => s.op === "HEALTHCHECK")).to.equal(true);
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
