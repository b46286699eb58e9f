/**
 * The callee's provider, hosting calls from other providers' users (spec/federation.md "Calls
 * across providers"). A remote caller is recorded as a remote party (an account row nobody
 * logs in as) and then meets exactly what a local caller meets — inbox options, guests'
 * limits, queues, services — because the call goes through the same CallService. Every request
 * speaks for users of the signing provider only.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type {
  RemoteCallActionRequest,
  RemotePlaceCallRequest,
  RemoteRoomSendRequest,
} from "../../../protocol/federation/calls.js";
import { serverOf } from "../../../protocol/ids.js";
import { recordParty } from "./parties.js";
import { EventType } from "../../../protocol/matrix/event-types.js";
import type { CallService } from "../../../server/src/services/calls/call-service.js";
import type { Requester } from "../../../server/src/services/requester.js";
import type { RoomService } from "../../../server/src/services/rooms/room-service.js";
import type { StreamWriter } from "../../../server/src/services/stream-writer.js";
import { AccountsRepo } from "../../../server/src/storage/repositories/accounts.js";

/** Where a remote caller's requests are counted for the guests' per-address limits. */
const peerAddress = (origin: string) => `peer:${origin}`;

export class HostedCalls {
  constructor(
    private readonly writer: StreamWriter,
    private readonly calls: CallService,
    private readonly rooms: RoomService,
    private readonly serverName: string,
  ) {}

  async place(origin: string, req: RemotePlaceCallRequest): Promise<CallView> {
    if (req.caller.kind === "service") {
      throw new ProtocolError("M_FORBIDDEN", "A service does not place calls; its operators do");
    }
    const r = await this.writer.write((tx) => recordParty(tx, origin, req.caller));
    return this.calls.placeHere(r, req.call, peerAddress(origin), req.callback_of);
  }

  async view(origin: string, userId: string, callId: string): Promise<CallView> {
    return this.calls.get(await this.party(origin, userId), callId);
  }

  async act(origin: string, callId: string, req: RemoteCallActionRequest): Promise<CallView> {
    const r = await this.party(origin, req.user_id);
    switch (req.action) {
      case "cancel":
        return this.calls.cancel(r, callId);
      case "end":
        return this.calls.end(r, callId);
      case "sms":
        return this.calls.leaveSms(r, callId, req.sms!);
    }
  }

  /** A remote member's message in a room hosted here, judged by the room's rules like any. */
  async send(
    origin: string,
    roomId: string,
    eventType: string,
    txnId: string,
    req: RemoteRoomSendRequest,
  ): Promise<string> {
    if (serverOf(roomId) !== this.serverName) throw new ProtocolError("M_NOT_FOUND", "No such room here");
    if (eventType === EventType.RoomMember) {
      throw new ProtocolError("M_FORBIDDEN", "Membership in a call room follows the call");
    }
    const r = await this.party(origin, req.sender);
    return this.rooms.send(
      { ...r, deviceId: req.device_id },
      { roomId, type: eventType, stateKey: null, content: req.content, txnId },
    );
  }

  /** The remote party `userId` of `origin`, known here from an earlier call or SMS. */
  private async party(origin: string, userId: string): Promise<Requester> {
    if (serverOf(userId) !== origin) {
      throw new ProtocolError("M_FORBIDDEN", `${origin} does not speak for ${userId}`);
    }
    const account = await new AccountsRepo(this.writer.manager).byUserId(userId);
    if (!account || account.provider !== origin) throw new ProtocolError("M_NOT_FOUND", "No such call");
    return { userId, deviceId: "", isGuest: account.kind === "guest" };
  }
}
