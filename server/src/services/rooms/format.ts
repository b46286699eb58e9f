import type { ClientEvent, StrippedStateEvent } from "../../../../protocol/matrix/event-types.js";
import type { EventRow } from "../../storage/repositories/events.js";

/**
 * An event as `viewer` receives it: `unsigned.age` is computed at delivery; the transaction ID
 * is shown only to the device that sent the event, which is how clients match local echoes.
 */
export function toClientEvent(
  e: EventRow,
  viewer?: { userId: string; deviceId: string },
  now = Date.now(),
): ClientEvent {
  const unsigned: NonNullable<ClientEvent["unsigned"]> = { age: Math.max(0, now - e.ts) };
  if (e.txnId && viewer && viewer.userId === e.sender && viewer.deviceId === e.txnDeviceId) {
    unsigned.transaction_id = e.txnId;
  }
  if (e.prevContent) unsigned.prev_content = e.prevContent;
  return {
    event_id: e.eventId,
    room_id: e.roomId,
    type: e.type,
    ...(e.stateKey !== null && { state_key: e.stateKey }),
    sender: e.sender,
    content: e.content,
    origin_server_ts: e.ts,
    unsigned,
  };
}

export function toStripped(e: EventRow): StrippedStateEvent {
  return { type: e.type, state_key: e.stateKey ?? "", sender: e.sender, content: e.content };
}
