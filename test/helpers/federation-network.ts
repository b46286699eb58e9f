/**
 * A test federation: N providers, each a separate homeserver process (server/src/main.ts, as
 * production runs it) on its own loopback address (127.0.0.2, 127.0.0.3, …) with its own
 * PostgreSQL database and Redis prefix, and one real DNS server (Knot) on loopback serving all
 * their records: where each listens (SRV + A), its key pin, and whatever brand records a test
 * adds. A provider can be stopped and started again on the same address, port and database.
 */
import {
  FederationRoutes,
  KEY_PIN_LABEL,
  pinRecord,
  FEDERATION_SRV_LABEL,
  type ServerDiscoveryView,
} from "../../protocol/federation/discovery.js";
import { startDnsServer, type DnsFixture } from "./dns-server.js";
import { TEST_TLDS, TestNetwork } from "./test-network.js";

export interface Provider {
  name: string;
  /** The loopback address it listens on. */
  address: string;
  net: TestNetwork;
  /** Its client API base URL (the running process's). */
  readonly url: string;
}

/** Retry settings small enough that a test sees a peer caught up within seconds. */
const FAST_RETRIES = {
  CALLSIGN_FEDERATION_RETRY_BASE_MS: "200",
  CALLSIGN_FEDERATION_RETRY_MAX_MS: "1500",
};

export class TestFederation {
  private constructor(
    readonly dns: DnsFixture,
    readonly providers: Map<string, Provider>,
  ) {}

  /** Starts one provider per name (e.g. `a.example.test`), in parallel, and publishes them in DNS. */
  static async start(names: string[], env: Record<string, string> = {}): Promise<TestFederation> {
    const dns = await startDnsServer(
      Object.fromEntries([...TEST_TLDS, "example.test"].map((z) => [`${z}.`, {}])),
    );
    const fed = new TestFederation(dns, new Map());
    try {
      await Promise.all(
        names.map(async (name, i) => {
          const address = `127.0.0.${i + 2}`;
          const net = await TestNetwork.start({
            serverName: name,
            dns,
            spawn: true,
            env: {
              CALLSIGN_LISTEN_HOST: address,
              CALLSIGN_FEDERATION_PLAIN_HTTP: "true",
              ...FAST_RETRIES,
              ...env,
            },
          });
          fed.providers.set(name, {
            name,
            address,
            net,
            get url() {
              return net.baseUrl;
            },
          });
        }),
      );
      for (const name of names) await fed.publish(name);
    } catch (err) {
      await fed.close();
      throw err;
    }
    return fed;
  }

  get(name: string): Provider {
    const p = this.providers.get(name);
    if (!p) throw new Error(`no provider ${name}`);
    return p;
  }

  /** Publishes where `name` listens and pins the certificates it serves. */
  async publish(name: string): Promise<void> {
    const p = this.get(name);
    const url = new URL(p.url);
    await this.dns.set(`${FEDERATION_SRV_LABEL}.${name}.`, "SRV", [`0 0 ${url.port} ${name}.`]);
    await this.dns.set(`${name}.`, "A", [url.hostname]);
    const doc = (await (
      await fetch(`${p.url}${FederationRoutes.wellKnownServer}`)
    ).json()) as ServerDiscoveryView;
    await this.dns.set(
      `${KEY_PIN_LABEL}.${name}.`,
      "TXT",
      doc.certificates.map((c) => pinRecord(c.fingerprint)),
    );
  }

  /** Stops every process of `name` (its database and Redis prefix stay). */
  async stop(name: string): Promise<void> {
    const p = this.get(name);
    await Promise.all(p.net.servers.map((s) => s.stop()));
  }

  /** Starts `name` again on the same address and port, over the same database. */
  async restart(name: string): Promise<void> {
    const p = this.get(name);
    const port = new URL(p.url).port;
    await p.net.addServer({ CALLSIGN_LISTEN_PORT: port });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.providers.values()].map((p) => p.net.close()));
    await this.dns.close();
  }
}
