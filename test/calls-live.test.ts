/**
 * Calls seen by stock matrix-js-sdk clients: a call is an invite to a room whose
 * `io.callsign.call` state carries topic and state; callers watch their queue position move
 * through /sync as calls ahead of them complete.
 */
import { expect } from "chai";
import { RoomStateEvent, type MatrixClient } from "matrix-js-sdk";
import type { CallView } from "../protocol/callsign/calls.js";
import { ext, placeCall } from "./helpers/calls.js";
import { registerUser, startPrepared, waitFor, type TestUser } from "./helpers/matrix.js";
import { TestNetwork } from "./helpers/test-network.js";

const callState = (client: MatrixClient, roomId: string): CallView | undefined =>
  client.getRoom(roomId)?.currentState.getStateEvents("io.callsign.call", "")?.getContent() as
    CallView | undefined;

describe("calls through matrix-js-sdk", function () {
  this.timeout(60_000);
  let net: TestNetwork;
  let callee: TestUser;
  let callers: TestUser[];
  before(async () => {
    net = await TestNetwork.start();
    callee = await registerUser(net.baseUrl);
    callers = [
      await registerUser(net.baseUrl),
      await registerUser(net.baseUrl),
      await registerUser(net.baseUrl),
    ];
    await Promise.all([callee, ...callers].map((u) => startPrepared(u.client)));
  });
  after(async () => {
    for (const u of [callee, ...(callers ?? [])]) u?.client.stopClient();
    await net?.close();
  });

  it("shows three callers their positions 1-2-3 and moves them up as calls complete", async () => {
    const calls: CallView[] = [];
    for (const [i, c] of callers.entries()) {
      const res = await placeCall(net.baseUrl, c.client.getAccessToken()!, {
        handle: callee.number,
        topic: `topic ${i}`,
      });
      expect(res.body.state, JSON.stringify(res.body)).to.equal("queued");
      calls.push(res.body);
    }
    // Every caller sees their own position through /sync.
    const positions = () => callers.map((c, i) => callState(c.client, calls[i]!.room_id)?.position);
    for (const [i, c] of callers.entries()) {
      await waitFor(c.client, () => callState(c.client, calls[i]!.room_id)?.position === i + 1);
    }
    expect(positions()).to.deep.equal([1, 2, 3]);

    // The callee sees three invites, each naming its topic.
    await waitFor(callee.client, () =>
      calls.every((c) => callee.client.getRoom(c.room_id)?.getMyMembership() === "invite"),
    );
    expect(calls.map((c) => callState(callee.client, c.room_id)?.topic)).to.deep.equal([
      "topic 0",
      "topic 1",
      "topic 2",
    ]);

    // Watch the third caller's position change live.
    const seen: number[] = [];
    callers[2]!.client.on(RoomStateEvent.Events, (ev) => {
      if (ev.getType() === "io.callsign.call" && ev.getRoomId() === calls[2]!.room_id) {
        const p = (ev.getContent() as CallView).position;
        if (p !== null) seen.push(p);
      }
    });
    const token = callee.client.getAccessToken()!;
    await ext(net.baseUrl, "POST", `/calls/${calls[0]!.call_id}/reply`, token, { text: "answered in text" });
    await waitFor(callers[2]!.client, () => callState(callers[2]!.client, calls[2]!.room_id)?.position === 2);
    await waitFor(
      callers[0]!.client,
      () => callState(callers[0]!.client, calls[0]!.room_id)?.state === "replied",
    );
    expect(callState(callers[0]!.client, calls[0]!.room_id)?.reply).to.equal("answered in text");
    await ext(net.baseUrl, "POST", `/calls/${calls[1]!.call_id}/decline`, token, {});
    await waitFor(callers[2]!.client, () => callState(callers[2]!.client, calls[2]!.room_id)?.position === 1);
    expect(seen).to.deep.equal([2, 1]);
    // Finished calls leave the callee's invites.
    await waitFor(
      callee.client,
      () => callee.client.getRoom(calls[0]!.room_id)?.getMyMembership() === "leave",
    );

    // Taking the head: the callee joins the call room and both chat there.
    await ext(net.baseUrl, "POST", `/calls/${calls[2]!.call_id}/take`, token);
    await waitFor(
      callers[2]!.client,
      () => callState(callers[2]!.client, calls[2]!.room_id)?.state === "answered",
    );
    await waitFor(
      callee.client,
      () => callee.client.getRoom(calls[2]!.room_id)?.getMyMembership() === "join",
    );
    await callee.client.sendTextMessage(calls[2]!.room_id, "Hello, how can I help?");
    await waitFor(callers[2]!.client, () =>
      callers[2]!.client
        .getRoom(calls[2]!.room_id)
        ?.getLiveTimeline()
        .getEvents()
        .some((e) => e.getContent().body === "Hello, how can I help?"),
    );
  });
});
