/**
 * Call media through Janus end to end (issue 7): a real homeserver drives a real Janus (in its
 * own network namespace, test/helpers/janus.ts); werift peers play caller and callee through
 * the client API only — publish, subscribe, answer — and count the RTP packets each receives.
 * A guest's video never reaches the callee even when the guest's client forces a video section;
 * a transfer keeps the caller's packets flowing to the next operator; the plan's longest call
 * and a hang-up end the call and leave no room, handle or session behind in Janus.
 */
import { expect } from "chai";
import type { CallView } from "../protocol/callsign/calls.js";
import type { MediaView, PublishView, SubscriptionView } from "../protocol/callsign/media.js";
import { activeVideo } from "../server/src/media/sdp-policy.js";
import { api, CS, type Registered } from "./helpers/api.js";
import { ext, guest, placeCall, subscriber } from "./helpers/calls.js";
import { janusEnv, startJanus, type JanusFixture } from "./helpers/janus.js";
import { enoughPackets, ENOUGH, MediaPeers, sleep } from "./helpers/media-peer.js";
import { ServiceKit } from "./helpers/services.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("call media through Janus", function () {
  this.timeout(90_000);
  let janus: JanusFixture;
  let net: TestNetwork;
  let peers: MediaPeers;
  let url: string;

  before(async () => {
    janus = await startJanus("janus-media");
    net = await TestNetwork.start({
      env: janusEnv(janus),
    });
    url = net.baseUrl;
    peers = new MediaPeers(janus.hostAddress);
    await until("the homeserver's link to Janus", async () =>
      ctx().janus!.status()[0]!.up ? true : undefined,
    );
  });
  afterEach(async () => {
    await peers.closeAll();
  });
  after(async () => {
    await net?.close();
    await janus?.close();
  });

  /** The running homeserver (the newest, after a restart). */
  const ctx = () => net.servers.at(-1)!.homeserver!.ctx;
  const post = <T>(who: Registered, callId: string, path: string, body: unknown = {}) =>
    ext<T>(url, "POST", `/calls/${callId}/media${path}`, who.access_token, body);

  /** `who` publishes audio and video (tagged) through the homeserver. */
  async function publish(who: Registered, callId: string, tag: number) {
    let view!: PublishView;
    const peer = await peers.publisher(tag, async (sdp) => {
      const res = await post<PublishView>(who, callId, "/publish", { sdp });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      view = res.body;
      return res.body.sdp;
    });
    return { ...peer, view };
  }

  /** Waits until `userId`'s feed is announced, then `who` subscribes to it and counts what arrives. */
  async function subscribe(who: Registered, callId: string, userId: string) {
    await until(`${userId}'s feed`, async () => {
      const media = await ext<MediaView>(url, "GET", `/calls/${callId}/media`, who.access_token);
      return media.body.feeds?.some((f) => f.user_id === userId) ? true : undefined;
    });
    const sub = await post<SubscriptionView>(who, callId, "/subscribe", { user_id: userId });
    expect(sub.status, JSON.stringify(sub.body)).to.equal(200);
    const peer = await peers.subscriber(sub.body.sdp, async (sdp) => {
      const res = await post(who, callId, `/subscriptions/${sub.body.subscription_id}/answer`, { sdp });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });
    return { ...peer, subscriptionId: sub.body.subscription_id };
  }

  /** Janus holds nothing of ours but the pool's own control session and room manager. */
  async function nothingLeftInJanus() {
    const janusCtx = ctx().janus!;
    await until("no room left in Janus", async () =>
      (await janusCtx.listRooms("janus-1")).length === 0 ? true : undefined,
    );
    const inventory = await janusCtx.inventory("janus-1");
    expect(inventory.sessions).to.deep.equal([
      { id: inventory.own.session, handles: [inventory.own.handle] },
    ]);
    expect(await net.query("SELECT call_id FROM media_rooms")).to.deep.equal([]);
  }

  it("caller and callee see and hear each other through Janus; hanging up destroys the room", async () => {
    const [callee, caller] = [await subscriber(url, { online: true }), await subscriber(url)];
    const call = (await placeCall(url, caller.access_token, { handle: callee.number, topic: "Video?" })).body;
    const early = await post(caller, call.call_id, "/publish", { sdp: "v=0\r\n o=- 1 1 IN IP4 0.0.0.0" });
    expect([early.status, early.body.errcode]).to.deep.equal([409, "IO_CALLSIGN_BAD_TRANSITION"]);
    await ext(url, "POST", `/calls/${call.call_id}/take`, callee.access_token);

    const callerOut = await publish(caller, call.call_id, 1);
    const calleeOut = await publish(callee, call.call_id, 2);
    expect([callerOut.view.video, calleeOut.view.video]).to.deep.equal([true, true]);
    const atCallee = await subscribe(callee, call.call_id, caller.user_id);
    const atCaller = await subscribe(caller, call.call_id, callee.user_id);
    await Promise.all([enoughPackets(atCallee.counts), enoughPackets(atCaller.counts)]);
    expect([[...atCallee.tags], [...atCaller.tags]]).to.deep.equal([[1], [2]]);
    const stranger = await subscriber(url);
    const refused = await ext(url, "GET", `/calls/${call.call_id}/media`, stranger.access_token);
    expect(refused.body.errcode).to.equal("M_NOT_FOUND");
    // Both sides learn of the feeds through the call room's state, in /sync.
    const state = await api<MediaView>(
      url,
      "GET",
      `${CS}/rooms/${encodeURIComponent(call.room_id)}/state/io.callsign.media/`,
      { token: caller.access_token },
    );
    expect(state.body.feeds?.map((f) => f.user_id).sort()).to.deep.equal(
      [caller.user_id, callee.user_id].sort(),
    );

    // The caller ends its subscription: the callee's packets stop reaching it; a second time is refused.
    const path = `/calls/${call.call_id}/media/subscriptions/${atCaller.subscriptionId}`;
    expect((await ext(url, "DELETE", path, caller.access_token)).status).to.equal(200);
    await sleep(300);
    const stopped = { ...atCaller.counts };
    await sleep(500);
    expect(atCaller.counts).to.deep.equal(stopped);
    const again = await ext(url, "DELETE", path, caller.access_token);
    expect([again.status, again.body.errcode]).to.deep.equal([400, "M_INVALID_PARAM"]);
    expect((await ext(url, "DELETE", path, callee.access_token)).status).to.equal(400);

    await ext(url, "POST", `/calls/${call.call_id}/end`, caller.access_token);
    await nothingLeftInJanus();
  });

  it("never lets a guest's video reach the callee, even when the guest's client offers video", async () => {
    const callee = await subscriber(url, { online: true });
    const visitor = await guest(url);
    const call = (await placeCall(url, visitor.access_token, { handle: callee.number, topic: "Hi" })).body;
    expect(call.video).to.equal(false);
    await ext(url, "POST", `/calls/${call.call_id}/take`, callee.access_token);

    // The guest's client offers audio and video and sends both; the server makes the video inactive.
    const out = await publish(visitor, call.call_id, 7);
    expect(out.view.video).to.equal(false);
    expect(activeVideo(out.answerSdp)).to.equal(false);
    const atCallee = await subscribe(callee, call.call_id, visitor.user_id);
    await enoughPackets(atCallee.counts, undefined, ["audio"]);
    await sleep(1000);
    expect(atCallee.counts.audio).to.be.at.least(ENOUGH.audio);
    expect(atCallee.counts.video, "video packets from a guest").to.equal(0);
    // A renegotiation (a new offer with video) is refused video the same way.
    const again = await publish(visitor, call.call_id, 8);
    expect(activeVideo(again.answerSdp)).to.equal(false);

    await ext(url, "POST", `/calls/${call.call_id}/end`, callee.access_token);
    await nothingLeftInJanus();
  });

  it("keeps the caller's media flowing through a transfer to the next operator", async () => {
    const [front, expert] = [
      await subscriber(url, { online: true }),
      await subscriber(url, { online: true }),
    ];
    const kit = await ServiceKit.start(url, "Media Co");
    const desk = await kit.service([front]);
    const experts = await kit.service([expert]);
    const caller = await subscriber(url);
    const call = (await placeCall(url, caller.access_token, { handle: desk.handle, topic: "Help" })).body;
    await ext(url, "POST", `/calls/${call.call_id}/take`, front.access_token);
    const callerOut = await publish(caller, call.call_id, 3);
    const atFront = await subscribe(front, call.call_id, caller.user_id);
    await enoughPackets(atFront.counts);

    const moved = await ext<CallView>(url, "POST", `/calls/${call.call_id}/transfer`, front.access_token, {
      service_id: experts.service_id,
    });
    expect(moved.body.state).to.equal("queued");
    // The front operator's subscription is gone; the caller's publisher is not.
    await sleep(500);
    const frontStopped = { ...atFront.counts };
    await sleep(500);
    expect(atFront.counts).to.deep.equal(frontStopped);
    expect(callerOut.pc.connectionState).to.equal("connected");

    const taken = await ext<CallView>(url, "POST", `/calls/${call.call_id}/take`, expert.access_token);
    // Both sides learn how long the call may last: the trial plan's 30 minutes.
    expect(taken.body.limit_s).to.equal(1800);
    const atExpert = await subscribe(expert, call.call_id, caller.user_id);
    await enoughPackets(atExpert.counts);
    expect([...atExpert.tags]).to.deep.equal([3]);
    const gone = await post(front, call.call_id, "/subscribe", { user_id: caller.user_id });
    expect(gone.body.errcode).to.equal("M_NOT_FOUND");

    // The plan's longest call ends it (the job's handler, run now), and the room with it.
    await ctx().callTimers.maxDuration(call.call_id, 1);
    const ended = await ext<CallView>(url, "GET", `/calls/${call.call_id}`, caller.access_token);
    expect([ended.body.state, ended.body.reason]).to.deep.equal([
      "ended",
      "The call reached the longest duration of the service's plan",
    ]);
    await nothingLeftInJanus();
  });

  it("ends the calls of a gateway that goes down, with the reason, and carries media again once it is back", async () => {
    const [callee, caller] = [await subscriber(url, { online: true }), await subscriber(url)];
    const call = (await placeCall(url, caller.access_token, { handle: callee.number, topic: "Crash" })).body;
    await ext(url, "POST", `/calls/${call.call_id}/take`, callee.access_token);
    await publish(caller, call.call_id, 5);
    await until("the caller's feed", async () =>
      (await net.query("SELECT 1 FROM media_feeds WHERE call_id = $1", [call.call_id])).length
        ? true
        : undefined,
    );

    await janus.restart();
    const ended = await until("the call ended by the lost gateway", async () => {
      const v = await ext<CallView>(url, "GET", `/calls/${call.call_id}`, callee.access_token);
      return v.body.state === "ended" ? v.body : undefined;
    });
    expect(ended.reason).to.equal("The call's media gateway failed");
    await until("the link back to Janus", async () => (ctx().janus!.status()[0]!.up ? true : undefined));
    await nothingLeftInJanus();

    // The next call gets a room on the gateway that came back.
    const next = (await placeCall(url, caller.access_token, { handle: callee.number, topic: "Again" })).body;
    await ext(url, "POST", `/calls/${next.call_id}/take`, callee.access_token);
    await publish(caller, next.call_id, 6);
    const atCallee = await subscribe(callee, next.call_id, caller.user_id);
    await enoughPackets(atCallee.counts);

    // A homeserver restart: the stopping process destroys the rooms it holds; the call's next
    // publish makes its room anew, and the ending leaves nothing behind.
    await peers.closeAll();
    await net.servers.at(-1)!.stop();
    url = (await net.addServer()).baseUrl;
    await until("the new process's link to Janus", async () =>
      ctx().janus!.status()[0]!.up ? true : undefined,
    );
    expect(await ctx().janus!.listRooms("janus-1")).to.deep.equal([]);
    await publish(caller, next.call_id, 9);
    const again = await subscribe(callee, next.call_id, caller.user_id);
    await enoughPackets(again.counts);
    expect([...again.tags]).to.deep.equal([9]);
    await ext(url, "POST", `/calls/${next.call_id}/end`, callee.access_token);
    await nothingLeftInJanus();
  });
});
