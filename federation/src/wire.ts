/**
 * Connects the homeserver's calls, rooms, handles and inboxes to other providers: the ports
 * they expose (CallService.useRelay, RoomService.useFederation, HandleService.useRemote,
 * InboxService.useSmsRelay) get their federation implementations, and the delivery items of
 * calls and messages get their receivers. Without this, everything works for one provider and
 * other providers' handles are refused with IO_CALLSIGN_REMOTE_HANDLE.
 */
import { CallItemKinds } from "../../protocol/federation/calls.js";
import type { AppContext } from "../../server/src/context.js";
import { RemoteCalls } from "./calls/caller-side.js";
import { RemoteHandles } from "./calls/remote-handles.js";
import { receiveSms, SmsSender } from "./messages/sms.js";
import { mirrorRoomEvents } from "./rooms/mirror.js";
import { RoomRelay } from "./rooms/relay.js";

export function wireFederation(ctx: AppContext): void {
  const serverName = ctx.config.serverName;
  ctx.calls.useRelay(new RemoteCalls(ctx.writer, ctx.federation));
  ctx.handles.useRemote(new RemoteHandles(ctx.federation));
  ctx.rooms.useFederation(new RoomRelay(ctx.federation, ctx.delivery, ctx.peers, serverName));
  ctx.inbox.useSmsRelay(new SmsSender(ctx.delivery));
  ctx.inboundItems.register(CallItemKinds.roomEvent, mirrorRoomEvents(serverName));
  ctx.inboundItems.register(CallItemKinds.sms, receiveSms(serverName, ctx.jobs));
}
