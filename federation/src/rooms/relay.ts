/**
 * Rooms across providers (spec/federation.md "Rooms"). The provider hosting a room is the one
 * authority over its events: it appends them in one order and relays each, as a delivery item,
 * to every provider with a member in the room (and to the provider of a member who just left),
 * in the transaction that appends it — so a relayed event is never lost or reordered. Other
 * providers send messages to the host and never append to its rooms themselves.
 */
import { CallItemKinds, type RoomEventItem } from "../../../protocol/federation/calls.js";
import { fillRoute, serverOf } from "../../../protocol/ids.js";
import { FederationCallRoutes } from "../../../protocol/federation/calls.js";
import { EventType } from "../../../protocol/matrix/event-types.js";
import type { Requester } from "../../../server/src/services/requester.js";
import type { NewEvent, RoomFederation } from "../../../server/src/services/rooms/room-service.js";
import type { WriteTx } from "../../../server/src/services/stream-writer.js";
import type { EventRow } from "../../../server/src/storage/repositories/events.js";
import type { PeerDirectory } from "../discovery/peers.js";
import type { FederationClient } from "../outbound/client.js";
import type { FederationDelivery } from "../outbound/delivery.js";

export class RoomRelay implements RoomFederation {
  constructor(
    private readonly client: FederationClient,
    private readonly delivery: FederationDelivery,
    private readonly peers: PeerDirectory,
    private readonly serverName: string,
  ) {}

  /** Sends a message to the room's host; the host's event ID is the answer. */
  async forward(r: Requester, e: NewEvent & { txnId: string }): Promise<string> {
    const path = fillRoute(FederationCallRoutes.roomSend, {
      roomId: e.roomId,
      eventType: e.type,
      txnId: e.txnId,
    });
    const { event_id } = await this.client.request<{ event_id: string }>(serverOf(e.roomId), "PUT", path, {
      sender: r.userId,
      device_id: r.deviceId || "server",
      content: e.content,
    });
    return event_id;
  }

  async relay(tx: WriteTx, e: EventRow, members: string[]): Promise<void> {
    if (serverOf(e.roomId) !== this.serverName) return;
    const concerned = [...members, e.sender];
    if (e.type === EventType.RoomMember && e.stateKey) concerned.push(e.stateKey);
    // Queuing locks each destination's row: always in one order, so concurrent writes cannot deadlock.
    const destinations = [
      ...new Set(concerned.map(serverOf).filter((s) => s !== this.serverName && this.peers.permits(s))),
    ].sort();
    for (const destination of destinations) {
      const item: RoomEventItem = {
        room_id: e.roomId,
        event_id: e.eventId,
        type: e.type,
        state_key: e.stateKey,
        sender: e.sender,
        content: e.content,
        origin_server_ts: e.ts,
        // The client transaction is the sender's own business: only its provider hears of it.
        ...(e.txnId && e.txnDeviceId && serverOf(e.sender) === destination
          ? { txn: { device_id: e.txnDeviceId, txn_id: e.txnId } }
          : {}),
      };
      await this.delivery.enqueue(tx, destination, CallItemKinds.roomEvent, item);
    }
  }
}
