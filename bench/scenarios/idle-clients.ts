/**
 * `idle-clients`: many logged-in clients each holding a `/sync` long-poll (the channel the web
 * client uses) on its own connection; the homeserver's RSS per idle client is the RSS with them
 * held minus the RSS before they connected (the accounts already made), over their count. The
 * clients are guests: logged in like any device, cheap to make by the thousand. Reference in the
 * same run: Prosody's RSS per idle XMPP connection (bench/reference/prosody.ts).
 */
import { JsonClient } from "../lib/http.js";
import { guest, inBatches, SyncLoop } from "../lib/matrix.js";
import { rssBytes, sleep } from "../lib/proc.js";
import type { Report } from "../lib/report.js";
import { startHomeserver } from "../lib/homeserver.js";
import { startProsody, xmppIdle } from "../reference/prosody.js";

const SETTLE_MS = 3000;
const MB = 2 ** 20;

export async function idleClients(full: boolean): Promise<Report> {
  const clients = full ? 10_000 : 2_000;
  const server = await startHomeserver();
  // One connection per client: each holds its long-poll on its own socket.
  const client = new JsonClient(server.baseUrl, clients + 16);
  const loops: SyncLoop[] = [];
  let own: { before_mb: number; after_mb: number; kb_per_client: number; held: number };
  try {
    const accounts = await inBatches(clients, 32, () => guest(client));
    await sleep(SETTLE_MS);
    const before = rssBytes(server.pid);
    await inBatches(clients, 64, async (i) => {
      const loop = new SyncLoop(client, accounts[i]!.token, () => undefined, 30_000);
      loops.push(loop);
      await loop.ready;
    });
    // Every client's long-poll is out now; give the server a moment to settle.
    await sleep(SETTLE_MS);
    const after = rssBytes(server.pid);
    own = {
      before_mb: round(before / MB),
      after_mb: round(after / MB),
      kb_per_client: round((after - before) / 1024 / clients),
      held: loops.length,
    };
  } finally {
    for (const loop of loops) loop.stop();
    client.close();
    await server.close();
  }

  const prosody = await startProsody({ users: clients });
  let ref;
  try {
    ref = await xmppIdle(prosody, { clients });
  } finally {
    await prosody.close();
  }
  return {
    scenario: "idle-clients",
    mode: full ? "full" : "short",
    rows: [
      {
        case: `${clients} clients`,
        metric: "RSS KB per idle client",
        value: own.kb_per_client,
        reference: ref.kb_per_client,
        referenceName: "Prosody",
        target: "≤ 10 KB and ≤ ¼ Prosody",
        met: own.kb_per_client <= 10 && own.kb_per_client <= ref.kb_per_client / 4,
      },
      {
        case: `${clients} clients`,
        metric: "homeserver RSS MB",
        value: own.after_mb,
        reference: ref.rss_after_mb,
        referenceName: "Prosody",
      },
    ],
    details: { clients, callsign: own, prosody: ref },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
