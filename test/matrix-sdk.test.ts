/**
 * A stock matrix-js-sdk (37.5.0) against Callsign: register, log in, sync to PREPARED, a DM
 * invite seen through /sync, 100 messages each way exactly once and in order, and an
 * m.call.invite / answer / hangup exchange intact — on one process, and on two processes that
 * share PostgreSQL and Redis (the wake-up crosses processes through Redis pub/sub).
 */
import { expect } from "chai";
import { createClient, type MatrixClient, type MatrixEvent, RoomEvent } from "matrix-js-sdk";
import { TestNetwork } from "./helpers/test-network.js";
import { registerUser, startPrepared, waitFor, type TestUser } from "./helpers/matrix.js";

const variants = [
  { name: "one homeserver process", processes: 1, spawn: false },
  { name: "two homeserver processes on one PostgreSQL and Redis", processes: 2, spawn: true },
];

function collect(client: MatrixClient, roomId: string, from: string, type: string): MatrixEvent[] {
  const seen: MatrixEvent[] = [];
  client.on(RoomEvent.Timeline, (ev, room, toStart) => {
    if (!toStart && room?.roomId === roomId && ev.getType() === type && ev.getSender() === from)
      seen.push(ev);
  });
  return seen;
}

for (const variant of variants) {
  describe(`matrix-js-sdk clients — ${variant.name}`, function () {
    this.timeout(120_000);
    let net: TestNetwork;
    let alice: TestUser;
    let bob: TestUser;
    let roomId: string;

    before(async () => {
      net = await TestNetwork.start({ processes: variant.processes, spawn: variant.spawn });
      const urlB = net.servers[variant.processes - 1]!.baseUrl;
      alice = await registerUser(net.baseUrl, { username: `alice${Date.now() % 100000}` });
      bob = await registerUser(urlB);
    });

    after(async () => {
      alice?.client.stopClient();
      bob?.client.stopClient();
      await net?.close();
    });

    it("gives every account a 9-digit number as its user ID", () => {
      expect(alice.number).to.match(/^\d{9}$/);
      expect(bob.number).to.match(/^\d{9}$/);
      expect(alice.number).to.not.equal(bob.number);
    });

    it("logs in by e-mail, by number and by user name", async () => {
      const anon = createClient({ baseUrl: net.baseUrl });
      const byEmail = await anon.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.thirdparty", medium: "email", address: bob.email },
        password: bob.password,
      });
      expect(byEmail.user_id).to.equal(bob.userId);
      const byNumber = await anon.loginRequest({
        type: "m.login.password",
        identifier: { type: "io.callsign.id.number", number: bob.number } as never,
        password: bob.password,
      });
      expect(byNumber.user_id).to.equal(bob.userId);
      const aliceName = (await alice.client.getProfileInfo(alice.userId)).displayname!;
      const byName = await anon.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: aliceName },
        password: alice.password,
      });
      expect(byName.user_id).to.equal(alice.userId);
      const who = await createClient({ baseUrl: net.baseUrl, accessToken: byName.access_token }).whoami();
      expect(who.user_id).to.equal(alice.userId);
    });

    it("starts both clients to PREPARED", async () => {
      await Promise.all([startPrepared(alice.client), startPrepared(bob.client)]);
    });

    it("delivers a DM invite through /sync and lets the invitee join", async () => {
      const created = await alice.client.createRoom({
        invite: [bob.userId],
        is_direct: true,
        preset: "trusted_private_chat" as never,
        name: "Alice and Bob",
      });
      roomId = created.room_id;
      const invited = await waitFor(
        bob.client,
        () => bob.client.getRoom(roomId)?.getMyMembership() === "invite",
      );
      expect(invited).to.equal(true);
      const inviteEvent = bob.client.getRoom(roomId)!.currentState.getMember(bob.userId)!.events.member!;
      expect(inviteEvent.getContent().is_direct).to.equal(true);
      await bob.client.joinRoom(roomId);
      await waitFor(
        alice.client,
        () => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === "join",
      );
      await waitFor(bob.client, () => bob.client.getRoom(roomId)?.getMyMembership() === "join");
    });

    it("carries 100 messages each way exactly once and in order", async () => {
      const atBob = collect(bob.client, roomId, alice.userId, "m.room.message");
      const atAlice = collect(alice.client, roomId, bob.userId, "m.room.message");
      const send = async (u: TestUser, who: string) => {
        for (let i = 0; i < 100; i++) await u.client.sendTextMessage(roomId, `${who} ${i}`);
      };
      await Promise.all([send(alice, "alice"), send(bob, "bob")]);
      await waitFor(bob.client, () => atBob.length >= 100, 30_000);
      await waitFor(alice.client, () => atAlice.length >= 100, 30_000);
      const expected = (who: string) => Array.from({ length: 100 }, (_, i) => `${who} ${i}`);
      expect(atBob.map((e) => e.getContent().body)).to.deep.equal(expected("alice"));
      expect(atAlice.map((e) => e.getContent().body)).to.deep.equal(expected("bob"));
      expect(new Set(atBob.map((e) => e.getId())).size).to.equal(100);
      // Nothing more arrives afterwards (no duplicates from later syncs).
      await bob.client.sendTextMessage(roomId, "done");
      await waitFor(alice.client, () =>
        alice.client.getRoom(roomId)!.timeline.some((e) => e.getContent().body === "done"),
      );
      expect(atAlice.length).to.equal(101);
      expect(atBob.length).to.equal(100);
    });

    it("passes an m.call.invite / answer / hangup exchange through intact", async () => {
      const callId = `call-${Date.now()}`;
      const invite = {
        call_id: callId,
        party_id: "alicedevice",
        version: "1",
        lifetime: 60000,
        offer: {
          type: "offer",
          sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
        },
      };
      const answer = {
        call_id: callId,
        party_id: "bobdevice",
        version: "1",
        answer: { type: "answer", sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" },
      };
      const hangup = { call_id: callId, party_id: "alicedevice", version: "1", reason: "user_hangup" };
      const found = (c: MatrixClient, type: string) => () =>
        c
          .getRoom(roomId)!
          .getLiveTimeline()
          .getEvents()
          .find((e) => e.getType() === type && e.getContent().call_id === callId);

      await alice.client.sendEvent(roomId, "m.call.invite" as never, invite as never);
      expect((await waitFor(bob.client, found(bob.client, "m.call.invite"))).getContent()).to.deep.equal(
        invite,
      );
      await bob.client.sendEvent(roomId, "m.call.answer" as never, answer as never);
      expect((await waitFor(alice.client, found(alice.client, "m.call.answer"))).getContent()).to.deep.equal(
        answer,
      );
      await alice.client.sendEvent(roomId, "m.call.hangup" as never, hangup as never);
      expect((await waitFor(bob.client, found(bob.client, "m.call.hangup"))).getContent()).to.deep.equal(
        hangup,
      );
    });

    it("pages back through history with /messages", async () => {
      const fresh = createClient({
        baseUrl: net.baseUrl,
        userId: alice.userId,
        accessToken: alice.client.getAccessToken()!,
      });
      const page1 = await fresh.createMessagesRequest(roomId, null, 50, "b" as never);
      expect(page1.chunk).to.have.length(50);
      const page2 = await fresh.createMessagesRequest(roomId, page1.end!, 50, "b" as never);
      const bodies = [...page1.chunk, ...page2.chunk].map((e) => e.content?.body).filter(Boolean);
      expect(bodies[0]).to.equal("done");
      expect(new Set([...page1.chunk, ...page2.chunk].map((e) => e.event_id)).size).to.equal(100);
    });
  });
}
