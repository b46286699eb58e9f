/**
 * How the parties of a call learn that the other side published or left: the call room's
 * `io.callsign.media` state (a `MediaView`), rewritten in the transaction that changed the
 * feeds, so it reaches both through /sync (and the caller's provider, for a remote caller).
 */
import { MEDIA_STATE_EVENT } from "../../../protocol/callsign/media.js";
import type { RoomService } from "../services/rooms/room-service.js";
import type { WriteTx } from "../services/stream-writer.js";
import type { CallRow } from "../storage/repositories/calls.js";
import { MediaRepo } from "../storage/repositories/media.js";
import { mediaView } from "./media-view.js";

export class MediaEvents {
  constructor(private readonly rooms: RoomService) {}

  async changed(tx: WriteTx, call: CallRow, senderId: string): Promise<void> {
    const repo = new MediaRepo(tx);
    const content = mediaView(!!(await repo.room(call.callId)), await repo.feeds(call.callId));
    await this.rooms.appendIn(
      tx,
      { userId: senderId, deviceId: "", isGuest: false },
      { roomId: call.roomId, type: MEDIA_STATE_EVENT, stateKey: "", content: { ...content } },
      false,
    );
  }
}
