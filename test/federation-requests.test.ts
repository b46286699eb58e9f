/**
 * Signed server-server requests between two providers (issue 6, first part): provider A asks
 * provider B about a handle hosted on B; B finds A through DNS (SRV, address, key pins in one
 * real Knot server), reads A's certificates, and accepts only a fresh request signed by a pinned
 * key of A, for B itself, seen once.
 */
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { pinRecord, KEY_PIN_LABEL } from "../protocol/federation/discovery.js";
import { FederationPrefix, type RemoteHandleView } from "../protocol/federation/routes.js";
import { signRequest } from "../federation/src/signing/request-signature.js";
import { startDnsServer, type DnsFixture } from "./helpers/dns-server.js";
import { subscriber } from "./helpers/calls.js";
import { TEST_TLDS, TestNetwork } from "./helpers/test-network.js";

describe("federation: signed requests between providers", function () {
  this.timeout(60_000);
  let dns: DnsFixture;
  let a: TestNetwork;
  let b: TestNetwork;

  /** Publishes a provider in DNS: where it listens (SRV + address) and its current key's pin. */
  async function publish(net: TestNetwork, name: string): Promise<void> {
    const url = new URL(net.baseUrl);
    await dns.set(`_callsign._tcp.${name}.`, "SRV", [`0 0 ${url.port} ${name}.`]);
    await dns.set(`${name}.`, "A", [url.hostname]);
    const identity = await net.servers[0]!.homeserver!.ctx.serverKeys.current();
    await dns.set(`${KEY_PIN_LABEL}.${name}.`, "TXT", [pinRecord(identity.fingerprint)]);
  }

  before(async () => {
    dns = await startDnsServer(Object.fromEntries([...TEST_TLDS, "example.test"].map((z) => [`${z}.`, {}])));
    const env = { CALLSIGN_FEDERATION_PLAIN_HTTP: "true" };
    a = await TestNetwork.start({ serverName: "a.example.test", dns, env });
    b = await TestNetwork.start({ serverName: "b.example.test", dns, env });
    await publish(a, "a.example.test");
    await publish(b, "b.example.test");
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dns?.close();
  });

  const aCtx = () => a.servers[0]!.homeserver!.ctx;
  const bUrl = (path: string, base = b.servers[0]!.baseUrl) => `${base}${FederationPrefix}${path}`;

  /** A request A signed for `target` (default: B), sent to B. */
  async function sendSigned(
    path: string,
    opts: { target?: string; key?: { keyId: string; privateKey: import("node:crypto").KeyObject } } = {},
  ) {
    const identity = await aCtx().serverKeys.current();
    const key = opts.key ?? { keyId: identity.keyId, privateKey: identity.privateKey };
    const headers = await signRequest(
      {
        method: "GET",
        url: `https://${opts.target ?? "b.example.test"}${FederationPrefix}${path}`,
        headers: {},
        body: Buffer.alloc(0),
      },
      key,
    );
    return { headers, send: (base?: string) => fetch(bUrl(path, base), { headers }) };
  }
  const refusal = async (res: Response) => {
    const body = (await res.json()) as { errcode: string; error: string };
    expect([res.status, body.errcode], body.error).to.deep.equal([
      401,
      "IO_CALLSIGN_FEDERATION_UNAUTHORIZED",
    ]);
    return body.error;
  };

  it("answers a signed question about a handle hosted there", async () => {
    const bella = await subscriber(b.baseUrl, { online: true, username: "bellab" });
    const view = await aCtx().federation.request<RemoteHandleView>(
      "b.example.test",
      "GET",
      "/handles/bellab",
    );
    expect(view).to.include({
      handle: "bellab",
      kind: "subscriber",
      online: true,
      open: true,
      paused: false,
    });
    expect(view.user).to.include({
      user_id: bella.user_id,
      display_name: "bellab",
      provider: "b.example.test",
    });
  });

  it("refuses unsigned, replayed, forged and misdirected requests", async () => {
    expect(await refusal(await fetch(bUrl("/handles/bellab")))).to.match(/not signed/);

    const once = await sendSigned("/handles/bellab");
    expect((await once.send()).status).to.equal(200);
    expect(await refusal(await once.send())).to.match(/replayed/);

    // Signed with another key under A's key ID: the signature does not verify.
    const identity = await aCtx().serverKeys.current();
    const forged = await sendSigned("/handles/bellab", {
      key: { keyId: identity.keyId, privateKey: generateKeyPairSync("ed25519").privateKey },
    });
    expect(await refusal(await forged.send())).to.match(/signature|verif/i);

    // Signed for another provider, sent to B.
    const misdirected = await sendSigned("/handles/bellab", { target: "c.example.test" });
    expect(await refusal(await misdirected.send())).to.match(/signature|verif/i);
  });

  it("trusts a new key only once its pin is in DNS (rotation)", async () => {
    const next = await aCtx().serverKeys.rotate(600_000);
    // A signs with the new key; its certificate is published but not pinned yet.
    const unpinned = await sendSigned("/handles/bellab");
    expect(unpinned.headers["signature-input"]).to.include(next.fingerprint);
    expect(await refusal(await unpinned.send())).to.match(/unknown key/);
    await dns.set(`${KEY_PIN_LABEL}.a.example.test.`, "TXT", [pinRecord(next.fingerprint)]);
    const pinned = await sendSigned("/handles/bellab");
    // B's cached DNS answer for the pins may still be the old one for its TTL.
    let status = (await pinned.send()).status;
    for (let i = 0; status !== 200 && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await (await sendSigned("/handles/bellab")).send()).status;
    }
    expect(status).to.equal(200);
  });

  it("passes a peer's refusal of the user's request on, and turns its failures into errors of ours", async () => {
    const caught = async (path: string) => {
      try {
        await aCtx().federation.request("b.example.test", "GET", path);
      } catch (err) {
        return err as { errcode?: string; message: string; extra?: Record<string, unknown> };
      }
      throw new Error("the peer answered");
    };
    // About the handle the user asked for: the same code, with the provider named.
    const unknown = await caught("/handles/nobody-here-at-all");
    expect(unknown.errcode).to.equal("IO_CALLSIGN_UNKNOWN_HANDLE");
    expect(unknown.extra).to.deep.equal({ provider: "b.example.test" });
    // About our own request to the peer: never relayed raw.
    const failed = await caught("/no-such-endpoint");
    expect(failed.errcode).to.equal("IO_CALLSIGN_PEER_FAILED");
    expect(failed.extra).to.deep.include({
      provider: "b.example.test",
      status: 404,
      peer_errcode: "M_UNRECOGNIZED",
    });
  });

  it("lets the operator block a provider or allow only some, both ways", async () => {
    // A process of B that blocks A refuses A's signed requests; one of A that allows only
    // c.example.test does not send to B at all.
    const blocking = await b.addServer({ CALLSIGN_FEDERATION_BLOCK: "a.example.test" });
    const req = await sendSigned("/handles/bellab");
    const res = await req.send(blocking.baseUrl);
    const body = (await res.json()) as { errcode: string };
    expect([res.status, body.errcode]).to.deep.equal([403, "IO_CALLSIGN_PEER_BLOCKED"]);

    const allowing = await a.addServer({ CALLSIGN_FEDERATION_ALLOW: "c.example.test" });
    let caught: { errcode?: string } | undefined;
    try {
      await allowing.homeserver!.ctx.federation.request("b.example.test", "GET", "/handles/bellab");
    } catch (err) {
      caught = err as typeof caught;
    }
    expect(caught?.errcode).to.equal("IO_CALLSIGN_PEER_BLOCKED");
  });
});
