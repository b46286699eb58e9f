/** How media failures reach clients, and small helpers shared by the media modules. */
import { ProtocolError } from "../../../protocol/errors.js";
import type { CallRow } from "../storage/repositories/calls.js";
import type { MediaRoomRow } from "../storage/repositories/media.js";
import { JanusUnavailableError } from "./janus/errors.js";
import type { JanusPool } from "./janus/pool.js";
import type { JanusRoomRef } from "./janus/types.js";

export const ref = (r: MediaRoomRow): JanusRoomRef => ({ instance: r.instance, room: r.room });

export const badState = (call: CallRow) =>
  new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", `The call is ${call.state}: it has no media now`, {
    state: call.state,
  });

export const unavailable = (why: string) => new ProtocolError("IO_CALLSIGN_MEDIA_UNAVAILABLE", why);

export function gatewayOf(pool: JanusPool | undefined): JanusPool {
  if (!pool) throw unavailable("This provider has no media gateway configured");
  return pool;
}

/** A gateway failure becomes the client's IO_CALLSIGN_MEDIA_UNAVAILABLE; its refusals M_INVALID_PARAM. */
export async function viaGateway<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    if (err instanceof JanusUnavailableError) throw unavailable(err.message);
    throw new ProtocolError("M_INVALID_PARAM", `The media gateway refused: ${(err as Error).message}`);
  }
}
