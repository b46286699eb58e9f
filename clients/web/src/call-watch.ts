/**
 * Following a call as it changes. Every change is a new `io.callsign.call` state event in the
 * call's room, which matrix-js-sdk delivers through sync; when the user leaves the room (the
 * server may remove them once the call is over) the call is read once more over HTTP.
 */
import {
  ClientEvent,
  KnownMembership,
  RoomEvent,
  RoomStateEvent,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { CALL_STATE_EVENT, CallState, isFinal, type CallView } from "../../../protocol/callsign/calls.js";
import { ProtocolError, type CallsignApi } from "../../sdk/src/index.js";

/** The call a room's state event describes, if the room is a call room. */
export function callOfRoom(room: Room): CallView | null {
  const content = room.currentState.getStateEvents(CALL_STATE_EVENT, "")?.getContent();
  return content && typeof content.call_id === "string" ? (content as CallView) : null;
}

/**
 * The most recent call the user is in the middle of, read from their rooms: as the caller while
 * it waits or talks, as the callee (or the operator who answered for a service) once taken. A
 * reload resumes it.
 */
export function findActiveCall(client: MatrixClient): CallView | null {
  const me = client.getUserId();
  const calls = client
    .getRooms()
    .filter((room) => room.getMyMembership() === KnownMembership.Join)
    .map(callOfRoom)
    .filter((call): call is CallView => {
      if (!call || isFinal(call.state)) return false;
      const answerer = call.callee.user_id === me || call.operator?.user_id === me;
      return call.caller.user_id === me || (answerer && call.state === CallState.Answered);
    });
  return calls.sort((a, b) => b.created_at - a.created_at)[0] ?? null;
}

/**
 * Calls `onChange` with every view of the call that sync delivers, in the order it delivers
 * them. Returns the function that stops watching.
 */
export function watchCall(
  client: MatrixClient,
  api: CallsignApi,
  call: CallView,
  onChange: (call: CallView) => void,
  onError: (error: unknown) => void,
): () => void {
  const offer = (view: CallView | null) => {
    if (view?.call_id === call.call_id) onChange(view);
  };
  const ours = (roomId: string | undefined) => roomId === call.room_id;

  const onState = (event: MatrixEvent) => {
    if (ours(event.getRoomId()) && event.getType() === CALL_STATE_EVENT && event.getStateKey() === "") {
      offer(event.getContent() as CallView);
    }
  };
  const onRoom = (room: Room) => {
    if (ours(room.roomId)) offer(callOfRoom(room));
  };
  const onMembership = (room: Room, membership: string) => {
    if (!ours(room.roomId)) return;
    if (membership === KnownMembership.Leave) api.getCall(call.call_id).then(offer, onError);
    else offer(callOfRoom(room));
  };

  client.on(RoomStateEvent.Events, onState);
  client.on(ClientEvent.Room, onRoom);
  client.on(RoomEvent.MyMembership, onMembership);
  const room = client.getRoom(call.room_id);
  if (room) offer(callOfRoom(room));
  return () => {
    client.off(RoomStateEvent.Events, onState);
    client.off(ClientEvent.Room, onRoom);
    client.off(RoomEvent.MyMembership, onMembership);
  };
}

/**
 * Places a call, solving the captcha when the server asks for one. When the caller already has
 * a call waiting for this callee, that call is resumed instead of failing.
 */
export async function placeOrResume(
  api: CallsignApi,
  request: Parameters<CallsignApi["placeCall"]>[0],
): Promise<CallView> {
  try {
    return await api.placeCallSolvingCaptcha(request);
  } catch (error) {
    const callId = error instanceof ProtocolError ? error.extra.call_id : undefined;
    if (
      error instanceof ProtocolError &&
      error.errcode === "IO_CALLSIGN_ALREADY_CALLING" &&
      typeof callId === "string"
    )
      return api.getCall(callId);
    throw error;
  }
}
