/**
 * Test helper: reading the deployment files without Docker (test/compose.test.ts): compose
 * services, their environment and ports, Dockerfile stages, the jcfg Janus reads, and the
 * `render` mode of the deploy/ entrypoints run with bash.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown };
  ports?: unknown[];
}

/** A service's environment as a map, whichever of the two forms compose allows is used. */
export function environmentOf(service: Service): Record<string, string> {
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

export function dependenciesOf(service: Service): string[] {
  const deps = service.depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}`, resolved against `vars`. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = vars[name];
    if (set !== undefined && set !== "") return set;
    if (op === "-") return arg ?? "";
    if (op === "?") throw new Error(`${name} is required: ${arg}`);
    return "";
  });
}

/** Sample values for what compose requires of the operator (`${VAR:?…}`): addresses and secrets. */
export function operatorValues(composeText: string): Record<string, string> {
  const names = new Set([...composeText.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!));
  return Object.fromEntries(
    [...names].map((n) => [
      n,
      n.endsWith("_IP") ? "203.0.113.7" : `${n.toLowerCase()}.${"0123456789abcdef".repeat(2)}`,
    ]),
  );
}

/** The operator variable a value is, when it is exactly `${VAR:?message}`. */
export function requiredVariable(value: string | undefined): string | undefined {
  return /^\$\{(\w+):\?[^}]*\}$/.exec(value ?? "")?.[1];
}

export interface PortMapping {
  host: [number, number];
  container: [number, number];
  protocol: string;
}

/** Compose's short port syntax, `[ip:]host[-host]:container[-container][/protocol]`. */
export function portsOf(service: Service): PortMapping[] {
  return (service.ports ?? []).map((entry) => {
    const m = /^(?:[\d.]+:)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(String(entry));
    if (!m) throw new Error(`port mapping not understood: ${String(entry)}`);
    const [, h1, h2, c1, c2, protocol] = m;
    return {
      host: [Number(h1), Number(h2 ?? h1)],
      container: [Number(c1), Number(c2 ?? c1)],
      protocol: protocol ?? "tcp",
    };
  });
}

/** Runs a deploy/ entrypoint's `render` mode with only `env` (and PATH) in its environment. */
export function renderEntrypoint(
  script: string,
  env: Record<string, string>,
): { status: number | null; stderr: string } {
  const run = spawnSync("bash", [path.join(root, script), "render"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    encoding: "utf8",
  });
  return { status: run.status, stderr: run.stderr };
}

/** The jcfg that writeJanusConfig writes: `section: {`, `\tkey = value` lines, `}`. */
export function parseJcfg(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let section: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const open = /^(\w+): \{$/.exec(line);
    if (open) sections[open[1]!] = section = {};
    const kv = /^\t(\w+) = (.*)$/.exec(line);
    if (kv) section[kv[1]!] = kv[2]!.startsWith('"') ? (JSON.parse(kv[2]!) as string) : kv[2]!;
  }
  return sections;
}

export interface DockerStep {
  op: string;
  args: string;
}
export interface DockerStage {
  from: string;
  name?: string;
  steps: DockerStep[];
}

/** A Dockerfile's stages; comments dropped and continued lines joined. */
export function dockerStages(file: string): DockerStage[] {
  const text = readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  const stages: DockerStage[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [op, args] = [m[1]!.toUpperCase(), m[2]!.trim()];
    const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
    if (op === "FROM" && from) stages.push({ from: from[1]!, name: from[2], steps: [] });
    else stages.at(-1)?.steps.push({ op, args });
  }
  return stages;
}

/** A stage's steps, after those of the stage it is built FROM. */
export function stepsOf(stages: DockerStage[], stage: DockerStage): DockerStep[] {
  const base = stages.find((s) => s !== stage && s.name === stage.from);
  return [...(base ? stepsOf(stages, base) : []), ...stage.steps];
}

/** The packages a RUN step installs with apt-get. */
export function aptPackages(step: DockerStep): string[] {
  if (step.op !== "RUN") return [];
  return step.args.split(/&&|;/).flatMap((command) => {
    const words = command.trim().split(/\s+/);
    const at = words.indexOf("install");
    return /^apt(-get)?$/.test(words[0] ?? "") && at > 0
      ? words.slice(at + 1).filter((w) => !w.startsWith("-"))
      : [];
  });
}

/** `default` of `NAME=${VAR:-default}` in a shell script. */
export function shellDefault(script: string, name: string): string | undefined {
  return new RegExp(`^${name}=\\$\\{\\w+:-([^}]*)\\}$`, "m").exec(script)?.[1];
}
