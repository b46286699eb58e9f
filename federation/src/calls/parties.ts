/** Parties of other providers, as this provider records them (migration 0018). */
import { ProtocolError } from "../../../protocol/errors.js";
import type { RemoteParty } from "../../../protocol/federation/calls.js";
import { localpartOf, serverOf } from "../../../protocol/ids.js";
import type { Requester } from "../../../server/src/services/requester.js";
import type { WriteTx } from "../../../server/src/services/stream-writer.js";
import { AccountsRepo } from "../../../server/src/storage/repositories/accounts.js";

/**
 * Records a party of `origin` (or refreshes its name) inside a write transaction; refuses a
 * party the signing provider does not host. Guests get no handle: they cannot be called back.
 */
export async function recordParty(tx: WriteTx, origin: string, p: RemoteParty): Promise<Requester> {
  if (serverOf(p.user_id) !== origin) {
    throw new ProtocolError("M_FORBIDDEN", `${origin} does not speak for ${p.user_id}`);
  }
  const account = await new AccountsRepo(tx.manager).upsertRemote({
    userId: p.user_id,
    kind: p.kind,
    displayName: p.display_name,
    provider: origin,
    handle: p.kind === "guest" ? null : `${localpartOf(p.user_id)}@${origin}`,
  });
  if (account.provider !== origin) {
    throw new ProtocolError("M_FORBIDDEN", `${p.user_id} is not a party of ${origin}`);
  }
  return { userId: p.user_id, deviceId: "", isGuest: p.kind === "guest" };
}
