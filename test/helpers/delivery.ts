/**
 * Helpers of the federation delivery tests: publishing a provider's newest server in the shared
 * DNS, and a test item kind that records what it applies in the receiver's database.
 */
import { ProtocolError } from "../../protocol/errors.js";
import { KEY_PIN_LABEL, pinRecord } from "../../protocol/federation/discovery.js";
import type { DnsFixture } from "./dns-server.js";
import type { TestNetwork, TestServer } from "./test-network.js";

/** The test item kind: it records `{series, n}` in `delivery_log`; `refuse: true` makes it refuse. */
export const RECORD_KIND = "test.record";

/** What `recordItems` writes to; create it once per receiving database. */
export const DELIVERY_LOG_DDL = `CREATE TABLE delivery_log (
  id serial PRIMARY KEY, origin text NOT NULL, series text NOT NULL, n int NOT NULL)`;

/** Publishes the network's newest server in DNS: where it listens (SRV + A) and its key's pin. */
export async function publishProvider(dns: DnsFixture, net: TestNetwork, name: string): Promise<void> {
  const server = net.servers.at(-1)!;
  const url = new URL(server.baseUrl);
  await dns.set(`_callsign._tcp.${name}.`, "SRV", [`0 0 ${url.port} ${name}.`]);
  await dns.set(`${name}.`, "A", [url.hostname]);
  const identity = await server.homeserver!.ctx.serverKeys.current();
  await dns.set(`${KEY_PIN_LABEL}.${name}.`, "TXT", [pinRecord(identity.fingerprint)]);
}

/** Registers `RECORD_KIND` on an in-process server: the record is written inside the receiving transaction. */
export function recordItems(server: TestServer): void {
  server.homeserver!.ctx.inboundItems.register(RECORD_KIND, async (tx, origin, payload) => {
    await tx.query(`INSERT INTO delivery_log (origin, series, n) VALUES ($1, $2, $3)`, [
      origin,
      payload.series,
      payload.n,
    ]);
    // After the write: the refusal must undo it.
    if (payload.refuse) throw new ProtocolError("M_FORBIDDEN", "refused by the test");
  });
}

/** `from`, `from + 1`, … `to`. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
