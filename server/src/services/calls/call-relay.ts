/**
 * The port through which calls reach other providers (implemented in federation/src/calls):
 * a call to a handle another provider hosts is placed there, and its caller's actions are
 * relayed to that host (spec/federation.md "Calls across providers").
 */
import type { BackReference, CallView } from "../../../../protocol/callsign/calls.js";
import type { PlaceCallRequest } from "../../../../protocol/callsign/requests.js";
import type { RemoteCallRow } from "../../storage/repositories/remote-calls.js";
import type { Requester } from "../requester.js";
import type { RemoteHandle } from "./handles.js";

/** What a caller may do to a call another provider hosts. */
export type RemoteCallAction =
  { action: "cancel" } | { action: "end" } | { action: "sms"; sms: { text: string; call_back?: boolean } };

export interface CallRelay {
  place(r: Requester, to: RemoteHandle, req: PlaceCallRequest, callbackOf?: BackReference): Promise<CallView>;
  /** The remote call `callId` when `r` placed it; undefined for a call hosted here (or none). */
  placedBy(r: Requester, callId: string): Promise<RemoteCallRow | undefined>;
  view(r: Requester, call: RemoteCallRow): Promise<CallView>;
  act(r: Requester, call: RemoteCallRow, action: RemoteCallAction): Promise<CallView>;
}
