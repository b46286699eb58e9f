/**
 * Renders `deploy/janus/conf/`: the Janus config of docker-compose.yml's `janus` service, made by
 * the same `writeJanusConfig` (server/src/media/janus/config.ts) the tests' Janus runs with, so a
 * deployed Janus has the options the code was tested against and no second copy of them.
 *
 * What cannot be known here is left as `${JANUS_*}` placeholders that `deploy/janus/entrypoint.sh`
 * fills from the container's environment at start (secrets, the container's address, the port
 * ranges, the public address). Three things differ from what a test's Janus gets:
 * - the folder paths are the container's ({@link JANUS_CONF_DIR}), not a temporary folder's;
 * - the two port ranges are placeholders (writeJanusConfig takes numbers and checks them; the
 *   entrypoint makes the same checks on the values it is given);
 * - `nat_1_1_mapping`: the container's address is private to the compose network, so Janus writes
 *   the address browsers reach (the host's, where the RTP range is published) into its candidates.
 * The folders of module symlinks are not copied (they point into this machine's Janus): their
 * entries go to `modules.list`, from which the image makes them against its own package.
 *
 *   npx tsx scripts/janus-config.ts     # rewrites deploy/janus/conf/ (needs Debian's janus here)
 *
 * test/compose.test.ts fails when the checked-in files are not what this renders.
 */
import { mkdtemp, readdir, readFile, readlink, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findJanusLibDir, writeJanusConfig } from "../server/src/media/janus/config.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the config lives inside the image; the templates name it as Janus's folder. */
export const JANUS_CONF_DIR = "/etc/callsign-janus";
/** The checked-in templates, repository-relative. */
export const JANUS_TEMPLATE_DIR = "deploy/janus/conf";
/** The module symlinks to make, one `kind/file` per line (`kind/` alone: an empty folder). */
export const JANUS_MODULES_FILE = "modules.list";
/** The Janus API and admin API ports inside the container (the homeserver's URLs name them). */
export const JANUS_API_PORT = 8188;
export const JANUS_ADMIN_PORT = 7188;

/** Every placeholder of the templates: the container environment variable that fills it. */
export const JANUS_PLACEHOLDERS = {
  /** The container's own address: API, admin API and media bind there (entrypoint: `hostname -i`). */
  localIp: "JANUS_LOCAL_IP",
  /** The address browsers reach the media on, written into candidates (`nat_1_1_mapping`). */
  publicIp: "JANUS_NAT_1_1_MAPPING",
  apiSecret: "JANUS_API_SECRET",
  adminSecret: "JANUS_ADMIN_SECRET",
  roomAdminKey: "JANUS_ROOM_ADMIN_KEY",
  /** WebRTC RTP/RTCP ports, `min-max`. */
  rtpPorts: "JANUS_RTP_PORTS",
  /** The SIP plugin's RTP ports, `min-max`. */
  sipRtpPorts: "JANUS_SIP_RTP_PORTS",
} as const;

const HEADER =
  "# Template of deploy/janus (scripts/janus-config.ts): entrypoint.sh fills in the JANUS_* placeholders.";

const placeholder = (name: string): string => "${" + name + "}";

/**
 * The files of `deploy/janus/conf/`, by name, without writing them.
 *
 * @param libDir Janus's module folder to render against (default: this machine's, found).
 */
export async function renderJanusTemplates(libDir = findJanusLibDir()): Promise<Map<string, string>> {
  const p = JANUS_PLACEHOLDERS;
  const dir = await mkdtemp(path.join(tmpdir(), "callsign-janus-template-"));
  try {
    await writeJanusConfig({
      dir,
      libDir,
      mediaAddress: placeholder(p.localIp),
      api: { address: placeholder(p.localIp), port: JANUS_API_PORT, secret: placeholder(p.apiSecret) },
      admin: { address: placeholder(p.localIp), port: JANUS_ADMIN_PORT, secret: placeholder(p.adminSecret) },
      roomAdminKey: placeholder(p.roomAdminKey),
    });
    const files = new Map<string, string>();
    const modules: string[] = [];
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort(byName)) {
      if (entry.isDirectory()) {
        const links = (await readdir(path.join(dir, entry.name))).sort();
        for (const link of links) {
          const target = await readlink(path.join(dir, entry.name, link));
          if (target !== path.join(libDir, entry.name, link))
            throw new Error(`${entry.name}/${link}: links to ${target}, not into ${libDir}`);
        }
        modules.push(...(links.length ? links.map((l) => `${entry.name}/${l}`) : [`${entry.name}/`]));
        continue;
      }
      let text = (await readFile(path.join(dir, entry.name), "utf8")).replaceAll(dir, JANUS_CONF_DIR);
      if (entry.name === "janus.jcfg") {
        text = setValue(text, "media", "rtp_port_range", placeholder(p.rtpPorts));
        text = setValue(text, "nat", "nat_1_1_mapping", placeholder(p.publicIp), "ice_enforce_list");
      } else if (entry.name === "janus.plugin.sip.jcfg") {
        text = setValue(text, "general", "rtp_port_range", placeholder(p.sipRtpPorts));
      }
      files.set(entry.name, `${HEADER}\n${text}`);
    }
    files.set(
      JANUS_MODULES_FILE,
      `# Janus modules to load (scripts/janus-config.ts): kind/file, linked into ${JANUS_CONF_DIR}.\n` +
        `${modules.join("\n")}\n`,
    );
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Sets `key` in `section` of a jcfg text as writeJanusConfig writes it (one `\tkey = value` per
 * line). A key not there yet goes after `after`; either missing is an error, so a change of the
 * writer's format cannot slip past unnoticed.
 */
function setValue(text: string, section: string, key: string, value: string, after?: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(`${section}: {`);
  const end = lines.indexOf("}", start);
  if (start < 0 || end < 0) throw new Error(`jcfg: no section ${section}`);
  const find = (k: string): number => {
    const at = lines.slice(start, end).findIndex((line) => line.startsWith(`\t${k} = `));
    return at < 0 ? -1 : start + at;
  };
  const line = `\t${key} = ${JSON.stringify(value)}`;
  const at = find(key);
  if (at >= 0) lines[at] = line;
  else if (after !== undefined && find(after) >= 0) lines.splice(find(after) + 1, 0, line);
  else throw new Error(`jcfg: no ${key}${after ? ` nor ${after}` : ""} in section ${section}`);
  return lines.join("\n");
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function main(): Promise<void> {
  const files = await renderJanusTemplates();
  const out = path.join(root, JANUS_TEMPLATE_DIR);
  await mkdir(out, { recursive: true });
  for (const old of await readdir(out))
    if (!files.has(old)) await rm(path.join(out, old), { recursive: true });
  for (const [name, text] of files) {
    const file = path.join(out, name);
    if ((await readFile(file, "utf8").catch(() => "")) === text) continue;
    await writeFile(file, text);
    console.log(`wrote ${JANUS_TEMPLATE_DIR}/${name}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
