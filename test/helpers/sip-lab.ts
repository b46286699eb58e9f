/**
 * Test helper: a company's SIP side for the PBX bridge (F22), started inside the network
 * namespace of a suite's Janus (test/helpers/janus.ts). Debian's kamailio is the registrar and
 * proxy (usrloc in memory, no database, authentication for one trunk only); Debian's baresip
 * is the PBX's extensions, registered at kamailio: `sip:pbx@<address>` answers every call by
 * itself, `sip:reception@<address>` rings until told to answer; both send a 440 Hz tone (Opus
 * when offered). baresip is driven and watched through its TCP control port.
 *
 * Everything binds to the namespace address, the one Janus's SIP plugin uses (`local_ip`), so
 * every SDP advertises the address its media is sent from, and the test process reaches
 * kamailio and baresip's control port over the veth pair like it reaches Janus.
 *
 * The lab is ready once kamailio routes an OPTIONS to each extension and baresip answers it:
 * kamailio is up and has baresip's registrations. `close()` stops both and removes the folder;
 * what a test forgot to close is killed when the process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Baresip } from "./baresip.js";
import type { JanusFixture } from "./janus.js";

const APT_HINT = "(apt-get install -y kamailio baresip-core, or run scripts/provision.sh)";
const START_TIMEOUT_MS = 15_000;
const SIP_PORT = 5060;
const BARESIP_SIP_PORT = 5070;
const BARESIP_CONTROL_PORT = 4444;
/** baresip's RTP ports; Janus's are 20000-20299 (config.ts defaults). */
const BARESIP_RTP_PORTS = "30000-30099";
const TONE_HZ = 440;
const TRUNK = { username: "trunk-auth", password: randomBytes(8).toString("hex") };

export interface SipLab {
  /** Where kamailio and baresip listen: the Janus namespace's address. */
  address: string;
  /** kamailio, for `SipAccount.proxy`: `sip:<address>:5060`. */
  proxy: string;
  /** An extension that answers at once: `sip:pbx@<address>`. */
  extension: string;
  /** An extension that rings until answered (`accept` on the control port): `sip:reception@<address>`. */
  reception: string;
  /**
   * Calls from this URI must authenticate to kamailio (407) as `username` with `password`,
   * as at a PBX; nobody else is challenged. INVITEs for users kamailio does not know go to
   * whoever registered as `username` (a trunk's line), To unchanged: `sip:<handle>@<address>`
   * dialled from an extension calls that Callsign handle.
   */
  trunk: { uri: string; username: string; password: string };
  baresip: Baresip;
  /** Sends an OPTIONS for `uri` to kamailio and resolves with the final answer's status. */
  options(uri: string): Promise<number>;
  /** kamailio's and baresip's latest output lines, for failure messages. */
  logs(): string[];
  /** Stops baresip and kamailio and removes the folder. Safe twice. */
  close(): Promise<void>;
}

/** Processes of labs still open, for the exit hook. */
const live = new Set<{ children: ChildProcess[]; dir: string }>();
process.once("exit", () => {
  for (const { children, dir } of live) {
    for (const child of children) killGroup(child, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts kamailio and baresip in `janus`'s namespace and waits until the extension is reachable.
 *
 * @example
 * const lab = await startSipLab(janus);
 * await pool.sipCall({ account: { uri: `sip:callsign@${lab.address}`, proxy: lab.proxy }, to: lab.extension, offerSdp });
 */
export async function startSipLab(janus: JanusFixture): Promise<SipLab> {
  const ip = findBinary("ip", "iproute2");
  const kamailio = findBinary("kamailio", "kamailio");
  const baresipBin = findBinary("baresip", "baresip-core");
  const baresipModules = ["/usr/lib/baresip/modules", "/usr/local/lib/baresip/modules"].find((d) =>
    existsSync(path.join(d, "ctrl_tcp.so")),
  );
  if (!baresipModules) throw new Error(`baresip's modules (ctrl_tcp.so) not found ${APT_HINT}`);

  const address = janus.address;
  const dir = await mkdtemp(path.join(tmpdir(), "callsign-sip-"));
  const state = { children: [] as ChildProcess[], dir };
  live.add(state);
  let log: string[] = [];
  let control: Baresip | undefined;
  const cleanup = async () => {
    control?.close();
    await Promise.all(state.children.map((child) => stop(child)));
    await rm(dir, { recursive: true, force: true });
    live.delete(state);
  };

  const run = (name: string, args: string[]) => {
    // `ip netns exec` execs in place, so the child's pid is the program's; its own process
    // group holds kamailio's workers too.
    const child = spawn(ip, ["netns", "exec", janus.namespace, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    state.children.push(child);
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        // baresip redraws a call status line with carriage returns: not worth keeping.
        const lines = chunk.split(/[\r\n]+/).filter((l) => l.trim() && !/^\[\d+:\d\d:\d\d\] /.test(l));
        log.push(...lines.map((l) => `${name}: ${l}`));
        if (log.length > 400) log = log.slice(-400);
      });
      (stream as unknown as { unref(): void }).unref();
    }
    child.unref();
    return child;
  };
  const exited = (child: ChildProcess, name: string) => {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode})`);
  };
  const options = (uri: string) => sipOptions(janus.hostAddress, address, uri);

  try {
    await writeFile(path.join(dir, "kamailio.cfg"), kamailioConfig(address));
    const kam = run("kamailio", [kamailio, "-DD", "-E", "-f", path.join(dir, "kamailio.cfg"), "-Y", dir]);
    // Any answer (404 for nobody) says kamailio is up.
    await until(
      "kamailio to answer OPTIONS",
      () => exited(kam, "kamailio"),
      () => options(`sip:nobody@${address}`),
    );

    const baresipDir = path.join(dir, "baresip");
    await mkdir(baresipDir);
    await writeFile(path.join(baresipDir, "config"), baresipConfig(address, baresipModules));
    const codecs = "audio_codecs=opus/48000/2,PCMU/8000,PCMA/8000";
    await writeFile(
      path.join(baresipDir, "accounts"),
      `<sip:pbx@${address}>;regint=60;answermode=auto;${codecs}\n` +
        `<sip:reception@${address}>;regint=60;answermode=manual;${codecs}\n`,
    );
    await writeFile(path.join(baresipDir, "contacts"), "");
    const bs = run("baresip", [baresipBin, "-f", baresipDir]);
    control = await until(
      "baresip's control port",
      () => exited(bs, "baresip"),
      () => Baresip.connect(address, BARESIP_CONTROL_PORT),
    );
    // kamailio routes them to baresip only once baresip is registered there.
    for (const user of ["pbx", "reception"])
      await until(
        `sip:${user} to be registered at kamailio`,
        () => exited(bs, "baresip"),
        async () => {
          const status = await options(`sip:${user}@${address}`);
          if (status !== 200) throw new Error(`OPTIONS sip:${user} answered ${status}`);
        },
      );
    return {
      address,
      proxy: `sip:${address}:${SIP_PORT}`,
      extension: `sip:pbx@${address}`,
      reception: `sip:reception@${address}`,
      trunk: { uri: `sip:trunk@${address}`, ...TRUNK },
      baresip: control,
      options,
      logs: () => [...log],
      close: cleanup,
    };
  } catch (error) {
    const message = `${(error as Error).message}\n${log.join("\n")}`;
    await cleanup();
    throw new Error(message, { cause: error });
  }
}

/**
 * A registrar and stateful proxy: REGISTER saved in memory (usrloc db_mode 0), anything else
 * routed to the registered contact, in-dialog requests along the recorded route; an INVITE for
 * a user nobody registered as goes to the contact registered as the trunk's username (the line
 * a Callsign trunk that accepts calls registers), To unchanged. A call from
 * the trunk must answer a digest challenge (a fixed password: no database).
 */
function kamailioConfig(address: string): string {
  return `#!KAMAILIO
# Written by test/helpers/sip-lab.ts.
debug=2
log_stderror=yes
children=2
disable_tcp=yes
auto_aliases=no
listen=udp:${address}:${SIP_PORT}
alias="${address}:${SIP_PORT}"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"

modparam("usrloc", "db_mode", 0)

request_route {
  xlog("L_INFO", "$rm $ru from $si:$sp\\n");
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("REGISTER")) { if (!save("location")) sl_reply_error(); exit; }
  if (has_totag()) {
    if (loose_route() || is_method("ACK")) { t_relay(); exit; }
    sl_send_reply("404", "Not here"); exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  if (is_method("INVITE") && $fU == "trunk") {
    if (!pv_proxy_authenticate("$fd", "${TRUNK.password}", "0") || $au != "${TRUNK.username}") {
      proxy_challenge("$fd", "0");
      exit;
    }
    consume_credentials();
  }
  # A Route to ourselves (an outbound proxy set as a route) is consumed here.
  loose_route();
  if (is_method("INVITE")) record_route();
  if (!lookup("location")) {
    # The PBX's dial plan: a call for a user it does not know goes out on its Callsign trunk,
    # to whatever registered as the trunk's user, keeping the To the extension dialled.
    if (!is_method("INVITE")) { sl_send_reply("404", "Not Found"); exit; }
    $rU = "${TRUNK.username}";
    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
  }
  t_relay();
}
`;
}

/** No audio device: the tone is the source, received audio is decoded and dropped. */
function baresipConfig(address: string, modules: string): string {
  return `# Written by test/helpers/sip-lab.ts.
poll_method epoll
sip_listen ${address}:${BARESIP_SIP_PORT}
net_interface ${address}
rtp_ports ${BARESIP_RTP_PORTS}
rtp_stats yes
audio_source ausine,${TONE_HZ}
module_path ${modules}
module opus.so
module g711.so
module ausine.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen ${address}:${BARESIP_CONTROL_PORT}
`;
}

async function sipOptions(from: string, to: string, uri: string, timeoutMs = 1000): Promise<number> {
  const socket = createSocket("udp4");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, from, () => resolve());
    });
    const { port } = socket.address();
    const tag = () => randomBytes(6).toString("hex");
    const request = [
      `OPTIONS ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${from}:${port};branch=z9hG4bK${tag()};rport`,
      "Max-Forwards: 70",
      `From: <sip:probe@${from}>;tag=${tag()}`,
      `To: <${uri}>`,
      `Call-ID: ${tag()}@${from}`,
      "CSeq: 1 OPTIONS",
      `Contact: <sip:probe@${from}:${port}>`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to OPTIONS ${uri} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on("message", (message) => {
        const status = Number(/^SIP\/2\.0 (\d{3}) /.exec(message.toString())?.[1]);
        if (status >= 200) {
          clearTimeout(timer);
          resolve(status);
        }
      });
      socket.send(request, SIP_PORT, to);
    });
  } finally {
    socket.close();
  }
}

/** Retries `attempt` until it succeeds; `check` throws when waiting is pointless (a process died). */
async function until<T>(what: string, check: () => void, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    check();
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`waited ${START_TIMEOUT_MS} ms for ${what}: ${(error as Error).message}`, {
          cause: error,
        });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, then SIGKILL for the whole group if it lingers (kamailio's workers are in it). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const killer = setTimeout(() => killGroup(child, "SIGKILL"), 3000);
    await exited;
    clearTimeout(killer);
  }
  killGroup(child, "SIGKILL");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // The group is gone.
  }
}

/** Where a binary is, from PATH and the sbin folders (kamailio and ip are in /usr/sbin). */
function findBinary(name: string, pkg: string): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  for (const d of dirs) {
    if (d && existsSync(path.join(d, name))) return path.join(d, name);
  }
  throw new Error(`${name} not found: install Debian's package '${pkg}' ${APT_HINT}`);
}
