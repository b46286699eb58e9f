/**
 * A media gateway that goes down takes its rooms with it (spec/media.md "Failures"): the calls
 * anchored there end with a reason both sides see, new calls go to another instance (or wait
 * for one), and the rooms of calls that ended meanwhile are swept when the homeserver starts.
 */
import { CallState } from "../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type { CallMachine } from "../services/calls/call-machine.js";
import type { JanusPool } from "./janus/pool.js";
import type { MediaService } from "./media-service.js";

export const GATEWAY_FAILED = "The call's media gateway failed";

export function watchGateway(
  pool: JanusPool,
  media: MediaService,
  machine: CallMachine,
  logger: { warn(obj: object, msg: string): void },
): void {
  pool.on("instanceDown", ({ instance, reason, rooms }) => {
    logger.warn({ janus: instance, reason, rooms: rooms.length }, "media gateway down: ending its calls");
    for (const room of rooms) {
      void (async () => {
        const callId = await media.callOn(room);
        if (!callId) return;
        await machine
          .change(null, callId, { role: "system", to: CallState.Ended, patch: { reason: GATEWAY_FAILED } })
          .catch((err: unknown) => {
            // Ended meanwhile, or waiting in a queue after a transfer: nothing to end.
            if (!(err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_BAD_TRANSITION")) throw err;
          });
        await media.closed(callId);
      })().catch((err: unknown) => logger.warn({ err, room }, "could not end a call of a lost gateway"));
    }
  });
}
