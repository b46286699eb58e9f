/**
 * The one check every server-server request passes before its handler runs (spec/federation.md
 * "Signed requests"): the signature must verify with a pinned key of the provider its key ID
 * names, over this provider's own URL for the request — `https://<our server name><path>` — so
 * a request signed for another provider or endpoint fails; the nonce must be new. Handlers get
 * the trusted origin (the signer's server name).
 */
import { ProtocolError } from "../../../protocol/errors.js";
import type { RawBodyRequest } from "../../../server/src/http/route.js";
import type { Database } from "../../../server/src/storage/database.js";
import { FederationNoncesRepo } from "../../../server/src/storage/repositories/federation-nonces.js";
import { PeerDirectory, PeerUnavailable } from "../discovery/peers.js";
import { SignatureRejected, verifyRequest } from "../signing/request-signature.js";

export async function authenticatePeer(
  req: RawBodyRequest,
  deps: { peers: PeerDirectory; db: Database; serverName: string },
): Promise<string> {
  try {
    const { keyId } = await verifyRequest(
      {
        method: req.method,
        url: `https://${deps.serverName}${req.originalUrl}`,
        headers: req.headers,
        body: req.rawBody ?? Buffer.alloc(0),
      },
      {
        keyFor: (id) => deps.peers.keyFor(id),
        firstUse: (id, nonce, until) => new FederationNoncesRepo(deps.db).first(id, nonce, until),
      },
    );
    const origin = PeerDirectory.originOf(keyId);
    if (!deps.peers.permits(origin)) {
      throw new ProtocolError(
        "IO_CALLSIGN_PEER_BLOCKED",
        `This provider does not accept requests from ${origin}`,
      );
    }
    return origin;
  } catch (err) {
    if (err instanceof SignatureRejected || err instanceof PeerUnavailable) {
      throw new ProtocolError("IO_CALLSIGN_FEDERATION_UNAUTHORIZED", `Refused: ${err.message}`);
    }
    throw err;
  }
}
