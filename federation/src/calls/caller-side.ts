/**
 * The caller's provider (spec/federation.md "Calls across providers"): a call to a handle
 * another provider hosts is placed there in the caller's name, remembered here so the caller's
 * later actions go to the same host, and answered with the host's view of the call. The room's
 * events reach the caller's /sync as the host delivers them (rooms/mirror.ts); the call's
 * current view is read from the mirrored call state, or asked of the host before it arrived.
 */
import { CALL_STATE_EVENT, type BackReference, type CallView } from "../../../protocol/callsign/calls.js";
import type { PlaceCallRequest } from "../../../protocol/callsign/requests.js";
import { ProtocolError } from "../../../protocol/errors.js";
import {
  FederationCallRoutes,
  type RemoteCallActionRequest,
  type RemoteParty,
  type RemotePlaceCallRequest,
} from "../../../protocol/federation/calls.js";
import type { CallRelay, RemoteCallAction } from "../../../server/src/services/calls/call-relay.js";
import type { RemoteHandle } from "../../../server/src/services/calls/handles.js";
import type { Requester } from "../../../server/src/services/requester.js";
import type { StreamWriter } from "../../../server/src/services/stream-writer.js";
import { AccountsRepo } from "../../../server/src/storage/repositories/accounts.js";
import { EventsRepo } from "../../../server/src/storage/repositories/events.js";
import {
  RemoteCallsRepo,
  type RemoteCallRow,
} from "../../../server/src/storage/repositories/remote-calls.js";
import type { FederationClient } from "../outbound/client.js";
import { fillRoute as fill, serverOf } from "../../../protocol/ids.js";

export class RemoteCalls implements CallRelay {
  constructor(
    private readonly writer: StreamWriter,
    private readonly client: FederationClient,
  ) {}

  async place(r: Requester, to: RemoteHandle, req: PlaceCallRequest, callbackOf?: BackReference) {
    const body: RemotePlaceCallRequest = {
      caller: await this.party(r),
      call: { ...req, handle: to.handle },
      ...(callbackOf && { callback_of: callbackOf }),
    };
    const view = await this.client.request<CallView>(to.provider, "POST", FederationCallRoutes.calls, body);
    // A host hosts only rooms in its own name: anything else is not a call we can follow.
    if (typeof view?.call_id !== "string" || serverOf(view.room_id) !== to.provider) {
      throw new ProtocolError(
        "IO_CALLSIGN_PEER_FAILED",
        `${to.provider} answered with a call it does not host`,
        {
          provider: to.provider,
        },
      );
    }
    await this.writer.write((tx) =>
      new RemoteCallsRepo(tx).insert({
        callId: view.call_id,
        roomId: view.room_id,
        host: to.provider,
        userId: r.userId,
      }),
    );
    return view;
  }

  placedBy(r: Requester, callId: string) {
    return this.writer.read((sql) => new RemoteCallsRepo(sql).of(r.userId, callId));
  }

  async view(r: Requester, call: RemoteCallRow): Promise<CallView> {
    const mirrored = await this.writer.read((sql) =>
      new EventsRepo(sql).stateEvent(call.roomId, CALL_STATE_EVENT, ""),
    );
    if (mirrored) return mirrored.content as unknown as CallView;
    return this.client.request<CallView>(
      call.host,
      "GET",
      `${fill(FederationCallRoutes.call, { callId: call.callId })}?user_id=${encodeURIComponent(r.userId)}`,
    );
  }

  act(r: Requester, call: RemoteCallRow, action: RemoteCallAction): Promise<CallView> {
    const body: RemoteCallActionRequest = { user_id: r.userId, ...action };
    return this.client.request<CallView>(
      call.host,
      "POST",
      fill(FederationCallRoutes.callAction, { callId: call.callId }),
      body,
    );
  }

  /** The requester as the host should know them (a guest stays a guest there). */
  private async party(r: Requester): Promise<RemoteParty> {
    const account = await new AccountsRepo(this.writer.manager).byUserId(r.userId);
    return {
      user_id: r.userId,
      kind: r.isGuest ? "guest" : (account?.kind ?? "user"),
      display_name: account?.displayName ?? null,
    };
  }
}
