/**
 * Requests to other providers, signed with this provider's current key (spec/federation.md
 * "Signed requests"). A peer's answer is parsed here; a peer's failure becomes a
 * ProtocolError of ours (IO_CALLSIGN_PEER_FAILED) — never relayed raw to a client.
 */
import { ProtocolError } from "../../../protocol/errors.js";
import { peerError } from "./peer-errors.js";
import { FederationPrefix } from "../../../protocol/federation/routes.js";
import type { PeerDirectory } from "../discovery/peers.js";
import type { KeyStore } from "../identity/keystore.js";
import { signRequest } from "../signing/request-signature.js";

export class FederationClient {
  constructor(
    private readonly keys: KeyStore,
    private readonly peers: PeerDirectory,
  ) {}

  /** A signed request to `serverName`'s federation API; its JSON answer, or a ProtocolError. */
  async request<T>(serverName: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(serverName, method, path, body);
    const text = await res.text();
    if (!res.ok) throw peerError(serverName, res.status, text);
    return JSON.parse(text) as T;
  }

  /** Sends a signed request and hands back the raw answer (for tests of the defences). */
  async send(
    serverName: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    if (!this.peers.permits(serverName)) {
      throw new ProtocolError("IO_CALLSIGN_PEER_BLOCKED", `This provider does not talk to ${serverName}`, {
        provider: serverName,
      });
    }
    const identity = await this.keys.current();
    let base: string;
    try {
      base = await this.peers.locate(serverName);
    } catch (err) {
      throw new ProtocolError(
        "IO_CALLSIGN_PEER_FAILED",
        `${serverName} cannot be found: ${(err as Error).message}`,
        {
          provider: serverName,
        },
      );
    }
    const url = `${base}${FederationPrefix}${path}`;
    const bytes = Buffer.from(body === undefined ? "" : JSON.stringify(body));
    const signed = await signRequest(
      {
        method,
        // Signed for the peer's own name: that is the authority it checks.
        url: `https://${serverName}${FederationPrefix}${path}`,
        headers: { "content-type": "application/json", ...headers },
        body: bytes,
      },
      { keyId: identity.keyId, privateKey: identity.privateKey },
    );
    try {
      return await fetch(url, {
        method,
        headers: signed,
        body: method === "GET" || method === "HEAD" ? undefined : bytes,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ProtocolError(
        "IO_CALLSIGN_PEER_FAILED",
        `${serverName} did not answer: ${(err as Error).message}`,
        {
          provider: serverName,
        },
      );
    }
  }
}
