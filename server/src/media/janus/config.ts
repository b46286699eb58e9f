/**
 * Janus configuration written by the project, never the package's /etc/janus: a folder with
 * janus.jcfg and the configs of the only modules we load (videoroom, sip, websockets).
 *
 * Why a folder of our own: the Debian package enables every plugin, transport, event handler
 * and logger it ships (HTTP API on 0.0.0.0:8088, a demo room with a known secret, the echo
 * test...). Here Janus loads modules only from folders of symlinks we make, so anything the
 * package adds later stays off without a `disable` list to keep up to date. The homeserver is
 * the only API client: the API wants `api_secret`, the admin API `admin_secret`, rooms can only
 * be created with the videoroom `admin_key`, and both websockets listen on one address only.
 * Media is offered on `mediaAddress` only (`interface` + `ice_enforce_list`) and in a narrow
 * port range, so a firewall rule (or a test's network namespace) can describe it exactly.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

export interface JanusListen {
  /** IP address the websocket server binds to (`ws_ip` / `admin_ws_ip`). */
  address: string;
  port: number;
  /** `api_secret` for the Janus API, `admin_secret` for the admin API. */
  secret: string;
}

export interface JanusConfigParams {
  /** Folder to write; created when missing, the files we own in it are replaced. */
  dir: string;
  /**
   * The only address Janus gathers ICE candidates on and writes into its SDP. Janus never
   * offers loopback candidates, so this must be a real interface address that peers reach.
   * `ice_enforce_list` matches prefixes: 10.0.0.2 would also admit 10.0.0.20 if present.
   */
  mediaAddress: string;
  /** The Janus API over websockets (`ws://address:port`, subprotocol janus-protocol). */
  api: JanusListen;
  /** The admin API over websockets (subprotocol janus-admin-protocol). */
  admin: JanusListen;
  /** The videoroom plugin's `admin_key`: needed to create rooms and to list private ones. */
  roomAdminKey: string;
  /** RTP/RTCP ports of WebRTC media, inclusive. Default 20000-20199 (about 50 calls). */
  rtpPorts?: { min: number; max: number };
  /** RTP ports of the SIP plugin (F22), disjoint from `rtpPorts`. Default 20200-20299. */
  sipRtpPorts?: { min: number; max: number };
  /** Janus log level 0-7 (4 = info, the package default). Logs go to stdout only. */
  debugLevel?: number;
  /** Seconds without a keep-alive before Janus drops a session. Default 60. */
  sessionTimeoutSecs?: number;
  /** Public name in `info` answers. Default "callsign". */
  serverName?: string;
  /** Where the package's modules are (…/janus with plugins/, transports/). Default: found. */
  libDir?: string;
}

export interface JanusConfigFolder {
  dir: string;
  /** Arguments for the `janus` binary: it reads janus.jcfg from this folder. */
  args: string[];
}

/** The modules we load; everything else the package ships stays off. */
const MODULES = {
  plugins: ["libjanus_videoroom.so", "libjanus_sip.so"],
  transports: ["libjanus_websockets.so"],
  events: [] as string[],
  loggers: [] as string[],
} as const;

/**
 * Writes a Janus config folder for `params` and returns how to start Janus with it.
 *
 * @example
 * const { args } = await writeJanusConfig({ dir, mediaAddress: "10.0.0.2",
 *   api: { address: "10.0.0.2", port: 8188, secret }, admin: { address: "10.0.0.2", port: 7188, secret: adminSecret },
 *   roomAdminKey });
 * spawn("janus", args);
 */
export async function writeJanusConfig(params: JanusConfigParams): Promise<JanusConfigFolder> {
  const dir = path.resolve(params.dir);
  const libDir = params.libDir ?? findJanusLibDir();
  const rtp = params.rtpPorts ?? { min: 20000, max: 20199 };
  const sipRtp = params.sipRtpPorts ?? { min: 20200, max: 20299 };
  checkRange("rtpPorts", rtp);
  checkRange("sipRtpPorts", sipRtp);
  if (rtp.min <= sipRtp.max && sipRtp.min <= rtp.max) throw new Error("rtpPorts and sipRtpPorts overlap");
  if (params.api.port === params.admin.port && params.api.address === params.admin.address)
    throw new Error("the Janus API and the admin API need different ports");

  await mkdir(dir, { recursive: true });
  for (const [kind, files] of Object.entries(MODULES)) {
    const folder = path.join(dir, kind);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder);
    for (const file of files) {
      const target = path.join(libDir, kind, file);
      if (!existsSync(target)) throw new Error(`${target} not found: is Debian's package 'janus' installed?`);
      await symlink(target, path.join(folder, file));
    }
  }

  const files: Record<string, string> = {
    "janus.jcfg": jcfg({
      general: {
        configs_folder: dir,
        plugins_folder: path.join(dir, "plugins"),
        transports_folder: path.join(dir, "transports"),
        events_folder: path.join(dir, "events"),
        loggers_folder: path.join(dir, "loggers"),
        log_to_stdout: true,
        debug_level: params.debugLevel ?? 4,
        debug_colors: false,
        server_name: params.serverName ?? "callsign",
        interface: params.mediaAddress,
        api_secret: params.api.secret,
        admin_secret: params.admin.secret,
        token_auth: false,
        session_timeout: params.sessionTimeoutSecs ?? 60,
        // `info` would otherwise list library versions to anyone holding the API secret.
        hide_dependencies: true,
      },
      media: {
        ipv6: false,
        rtp_port_range: `${rtp.min}-${rtp.max}`,
      },
      nat: {
        ice_enforce_list: params.mediaAddress,
        // Browsers hide host addresses behind .local names; resolving them can stall ICE, and the
        // peer-reflexive candidates Janus learns from their checks are enough.
        ignore_mdns: true,
        nice_debug: false,
      },
      plugins: {},
      transports: {},
      loggers: {},
      events: { broadcast: false },
    }),
    "janus.transport.websockets.jcfg": jcfg({
      general: {
        events: false,
        json: "compact",
        ws: true,
        ws_ip: params.api.address,
        ws_port: params.api.port,
        wss: false,
      },
      admin: {
        admin_ws: true,
        admin_ws_ip: params.admin.address,
        admin_ws_port: params.admin.port,
        admin_wss: false,
      },
    }),
    "janus.plugin.videoroom.jcfg": jcfg({
      general: {
        admin_key: params.roomAdminKey,
        // RTP forwarding would send a room's media anywhere: only with the admin key.
        lock_rtp_forward: true,
        events: false,
      },
    }),
    "janus.plugin.sip.jcfg": jcfg({
      general: {
        local_ip: params.mediaAddress,
        behind_nat: false,
        rtp_port_range: `${sipRtp.min}-${sipRtp.max}`,
        user_agent: "Callsign",
        events: false,
      },
    }),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, args: ["--configs-folder", dir] };
}

/** The package's module folder: /usr/lib/<multiarch>/janus on Debian. */
export function findJanusLibDir(): string {
  const candidates = ["/usr/lib/janus", "/usr/local/lib/janus", "/opt/janus/lib/janus"];
  try {
    for (const entry of readdirSync("/usr/lib")) {
      if (/-linux-gnu/.test(entry)) candidates.unshift(path.join("/usr/lib", entry, "janus"));
    }
  } catch {
    // No /usr/lib: only the fixed candidates remain.
  }
  const found = candidates.find((d) => existsSync(path.join(d, "plugins", "libjanus_videoroom.so")));
  if (!found)
    throw new Error(
      "Janus modules not found (looked in " +
        `${candidates.join(", ")}): install Debian's package 'janus' (apt-get install -y janus)`,
    );
  return found;
}

type JcfgValue = string | number | boolean;

/** libconfig text: `section: { key = value }`; strings quoted with JSON's escapes, which libconfig reads. */
function jcfg(sections: Record<string, Record<string, JcfgValue>>): string {
  const lines = ["# Written by Callsign (server/src/media/janus/config.ts); changes are overwritten."];
  for (const [section, values] of Object.entries(sections)) {
    lines.push(`${section}: {`);
    for (const [key, value] of Object.entries(values)) {
      lines.push(`\t${key} = ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
    lines.push("}");
  }
  return lines.join("\n") + "\n";
}

function checkRange(name: string, range: { min: number; max: number }): void {
  const ok = Number.isInteger(range.min) && Number.isInteger(range.max);
  if (!ok || range.min < 1024 || range.max > 65535 || range.max - range.min < 1)
    throw new Error(`${name}: want 1024 <= min < max <= 65535, got ${range.min}-${range.max}`);
}
