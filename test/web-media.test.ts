/**
 * Call media in the reference web client: Chromium with a fake camera and microphone, a real
 * homeserver and a real Janus (in its own network namespace, test/helpers/janus.ts). A signed-in
 * callee takes a subscriber's call and both call screens show each other's video: each side's
 * remote video decodes frames (more and more) and its sound arrives. A guest's call carries
 * sound both ways and the callee's video to the guest, never the guest's video (the guest's
 * camera switch is off and says why). Hanging up leaves the call on both screens, with every
 * track stopped and every connection closed.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { FAKE_MEDIA_ARGS, launchBrowser } from "./helpers/browser.js";
import { janusEnv, startJanus, type JanusFixture } from "./helpers/janus.js";
import type { TestNetworkOptions } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";
import { ext } from "./helpers/calls.js";
import { ServiceKit } from "./helpers/services.js";
import { acceptCallsFrom } from "./helpers/pbx-lines.js";
import { startSipLab } from "./helpers/sip-lab.js";
import { shot, waitForText, WebPages } from "./helpers/web-pages.js";
import { webSuite } from "./helpers/web-suite.js";

/** What a page receives, summed over its open connections, and what its remote <video> shows. */
interface Received {
  framesDecoded: number;
  videoPackets: number;
  audioPackets: number;
  audioSamples: number;
  audioEnergy: number;
  /** The remote <video> element's frames and size. */
  shownFrames: number;
  width: number;
}

describe("web client call media", function () {
  this.timeout(180_000);

  // Janus first: the homeserver that webSuite starts next reads its address from `network.env`.
  let janus: JanusFixture;
  const network: TestNetworkOptions = {};
  before(async () => {
    janus = await startJanus("web-media");
    network.env = janusEnv(janus);
  });
  const web = webSuite(network);
  before(async () => {
    // The suite's browser has no camera: this one has fake devices (webSuite's `after` closes it).
    await web.browser.close();
    web.browser = await launchBrowser(FAKE_MEDIA_ARGS);
    web.pages = new WebPages(web.browser, web.network.baseUrl);
    const janusCtx = web.network.servers[0]!.homeserver!.ctx.janus!;
    await until("the homeserver's link to Janus", async () => (janusCtx.status()[0]!.up ? true : undefined));
  });
  after(async () => {
    await janus?.close();
  });

  const run = Date.now().toString(36);
  let callee: Page;
  let calleeNumber = "";
  /** Candidate requests each page's client made and the server took. */
  const trickled = new Map<Page, number>();

  /** Opens a page whose peer connections and camera streams the test can read. */
  async function open(path = "/"): Promise<Page> {
    const page = await web.pages.open(path);
    await page.addInitScript(() => {
      const w = window as unknown as { pcs: RTCPeerConnection[]; streams: MediaStream[] };
      w.pcs = [];
      w.streams = [];
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          w.pcs.push(this);
        }
      };
      const devices = navigator.mediaDevices;
      const getUserMedia = devices.getUserMedia.bind(devices);
      devices.getUserMedia = async (constraints) => {
        const stream = await getUserMedia(constraints);
        w.streams.push(stream);
        return stream;
      };
    });
    page.on("response", (response) => {
      if (response.url().endsWith("/media/trickle") && response.status() === 200) {
        trickled.set(page, (trickled.get(page) ?? 0) + 1);
      }
    });
    await page.reload();
    return page;
  }

  function received(page: Page): Promise<Received> {
    return page.evaluate(async () => {
      const sum: Received = {
        framesDecoded: 0,
        videoPackets: 0,
        audioPackets: 0,
        audioSamples: 0,
        audioEnergy: 0,
        shownFrames: 0,
        width: 0,
      };
      const { pcs } = window as unknown as { pcs: RTCPeerConnection[] };
      for (const pc of pcs.filter((p) => p.connectionState !== "closed")) {
        // No named functions in here: the page has no `__name`, which tsx adds to them.
        (await pc.getStats()).forEach((s: Record<string, number | undefined>) => {
          if (s.type !== ("inbound-rtp" as unknown)) return;
          if (s.kind === ("video" as unknown)) {
            sum.framesDecoded += s.framesDecoded ?? 0;
            sum.videoPackets += s.packetsReceived ?? 0;
          } else {
            sum.audioPackets += s.packetsReceived ?? 0;
            sum.audioSamples += s.totalSamplesReceived ?? 0;
            sum.audioEnergy += s.totalAudioEnergy ?? 0;
          }
        });
      }
      const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      sum.shownFrames = video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      sum.width = video?.videoWidth ?? 0;
      return sum;
    });
  }

  /**
   * Waits until the page decodes remote video (and hears sound); answers when that was, and two
   * readings 2 s apart.
   */
  async function seesAndHears(page: Page, video = true): Promise<[number, Received, Received]> {
    await until("remote media on the page", async () => {
      const now = await received(page);
      return now.audioPackets > 0 && (!video || now.framesDecoded > 0) ? true : undefined;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await mediaState(page)}`);
    });
    const at = Date.now();
    const first = await received(page);
    await page.waitForTimeout(2000);
    return [at, first, await received(page)];
  }

  /** The page's connections and media lines, for a failure's message. */
  function mediaState(page: Page): Promise<string> {
    return page.evaluate(() => {
      const { pcs } = window as unknown as { pcs: RTCPeerConnection[] };
      const lines = pcs.map(
        (pc) =>
          `${pc.connectionState}/${pc.iceConnectionState}/${pc.signalingState} ` +
          `local ${pc.localDescription?.type} remote ${pc.remoteDescription?.type}`,
      );
      for (const id of ["media-status", "remote-note", "local-note"]) {
        lines.push(`${id}: ${document.querySelector(`[data-testid="${id}"]`)?.textContent}`);
      }
      lines.push(`error: ${document.getElementById("error")?.textContent}`);
      return lines.join("; ");
    });
  }

  /** Every camera and microphone track stopped, every connection closed. */
  async function allClosed(page: Page): Promise<void> {
    await until("tracks stopped and connections closed", async () => {
      const open = await page.evaluate(() => {
        const w = window as unknown as { pcs: RTCPeerConnection[]; streams: MediaStream[] };
        const live = w.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState !== "ended");
        return live.length + w.pcs.filter((pc) => pc.signalingState !== "closed").length;
      });
      return open === 0 ? true : undefined;
    });
  }

  const screen = (page: Page, state: string) =>
    page.locator(`[data-testid="call-screen"][data-state="${state}"]`).waitFor();

  async function take(topic: string): Promise<number> {
    const entry = callee.getByTestId("queue-entry").filter({ hasText: topic });
    await entry.waitFor();
    await entry.getByTestId("queue-take").click();
    return Date.now();
  }

  async function hangUp(caller: Page): Promise<void> {
    await callee.getByTestId("call-room").getByTestId("call-hangup").click();
    await screen(callee, "ended");
    await screen(caller, "ended");
    for (const page of [callee, caller]) {
      await page.getByTestId("call-media").waitFor({ state: "detached" });
      await allClosed(page);
    }
    await waitForText(caller, "call-final", "The call has ended.");
    await callee.getByTestId("call-close").click();
    const janusCtx = web.network.servers[0]!.homeserver!.ctx.janus!;
    await until("no room left in Janus", async () =>
      (await janusCtx.listRooms(janusCtx.status()[0]!.id)).length === 0 ? true : undefined,
    );
  }

  it("a subscriber calls, the callee takes the call, and both see and hear each other", async function () {
    callee = await open();
    calleeNumber = await web.pages.signUp(callee, {
      email: `carol-${run}@example.org`,
      password: "battery staple 2",
      username: `carol${run}`,
    });
    const caller = await open();
    await web.pages.signUp(caller, { email: `dave-${run}@example.org`, password: "correct horse 1" });
    await caller.getByTestId("dial-handle").fill(calleeNumber);
    await caller.getByTestId("dial-topic").fill("Show me the parcel");
    await caller.getByTestId("dial-submit").click();
    await screen(caller, "queued");

    const takenAt = await take("Show me the parcel");
    await screen(callee, "answered");
    await screen(caller, "answered");
    const [atCallee, atCaller] = await Promise.all([seesAndHears(callee), seesAndHears(caller)]);
    for (const [side, [at, before, after]] of Object.entries({ callee: atCallee, caller: atCaller })) {
      console.log(
        `      ${side}: video decoded ${((at - takenAt) / 1000).toFixed(1)} s after the take; ` +
          `${after.framesDecoded} frames decoded (+${after.framesDecoded - before.framesDecoded} in 2 s), ` +
          `${after.audioPackets} audio packets, remote video ${after.width} px wide`,
      );
      expect(before.framesDecoded, `${side}: frames decoded`).to.be.greaterThan(0);
      expect(after.framesDecoded, `${side}: frames keep coming`).to.be.greaterThan(before.framesDecoded + 10);
      expect(after.shownFrames, `${side}: frames shown`).to.be.greaterThan(before.shownFrames);
      expect(after.width, `${side}: remote video size`).to.be.greaterThan(0);
      expect(after.audioPackets, `${side}: sound`).to.be.greaterThan(before.audioPackets + 50);
      expect(after.audioSamples).to.be.greaterThan(before.audioSamples);
      expect(after.audioEnergy, `${side}: the fake microphone's beep`).to.be.greaterThan(0);
    }

    // Both connections of each side (its publisher and its subscription) sent their candidates.
    expect(trickled.get(callee), "callee's candidate requests").to.be.at.least(2);
    expect(trickled.get(caller), "caller's candidate requests").to.be.at.least(2);

    // Controls: the clock runs, the link is rated, the switches act on the user's own tracks.
    await waitForText(callee, "call-timer", /^0:(0[1-9]|[1-5]\d)$/);
    await callee.locator('[data-testid="media-quality"][data-quality="good"]').waitFor();
    await caller.getByTestId("media-mute").click();
    await caller.getByTestId("media-camera").click();
    const enabled = () =>
      caller.evaluate(() =>
        (window as unknown as { streams: MediaStream[] }).streams[0]!.getTracks().map((t) => [
          t.kind,
          t.enabled,
        ]),
      );
    expect(await enabled()).to.deep.equal([
      ["audio", false],
      ["video", false],
    ]);
    expect(await caller.getByTestId("media-mute").getAttribute("aria-pressed")).to.equal("true");
    expect(await caller.getByTestId("media-camera").textContent()).to.equal("Turn camera on");
    await caller.getByTestId("media-mute").click();
    await caller.getByTestId("media-camera").click();
    expect((await enabled()).map(([, on]) => on)).to.deep.equal([true, true]);
    await shot(callee, "web-media-callee");
    await shot(caller, "web-media-caller");

    await hangUp(caller);
    await caller.context().close();
  });

  it("a guest sends sound only: the callee hears the guest and sees nothing, the guest sees the callee", async function () {
    const visitor = await open(`/call/${calleeNumber}`);
    await visitor.locator('[data-testid="call-form"][data-loaded]').waitFor();
    await visitor.getByTestId("call-topic-input").fill("Guest with a question");
    await visitor.getByTestId("call-button").click();
    await screen(visitor, "queued");

    const takenAt = await take("Guest with a question");
    await screen(visitor, "answered");
    const [[heardAt, , atCallee], [sawAt, before, atGuest]] = await Promise.all([
      seesAndHears(callee, false),
      seesAndHears(visitor),
    ]);
    // Long enough for video to have arrived, had any been sent.
    await callee.waitForTimeout(1000);
    const calleeNow = await received(callee);
    console.log(
      `      callee: sound ${((heardAt - takenAt) / 1000).toFixed(1)} s after the take; ` +
        `${calleeNow.framesDecoded} frames decoded, ${calleeNow.videoPackets} video packets, ` +
        `${calleeNow.audioPackets} audio packets\n` +
        `      guest: video decoded ${((sawAt - takenAt) / 1000).toFixed(1)} s after the take; ` +
        `${atGuest.framesDecoded} frames decoded (+${atGuest.framesDecoded - before.framesDecoded} in 2 s), ` +
        `${atGuest.audioPackets} audio packets`,
    );
    expect([calleeNow.framesDecoded, calleeNow.videoPackets, calleeNow.shownFrames]).to.deep.equal([0, 0, 0]);
    expect(calleeNow.audioPackets).to.be.greaterThan(atCallee.audioPackets);
    expect(atCallee.audioEnergy, "the guest's beep").to.be.greaterThan(0);
    expect(atGuest.framesDecoded).to.be.greaterThan(before.framesDecoded + 10);
    expect(atGuest.audioPackets).to.be.greaterThan(before.audioPackets);
    await waitForText(callee, "remote-note", "Guests send sound only.");

    // The guest's camera stays off, and the page says why; only a microphone was asked for.
    expect(await visitor.getByTestId("media-camera").isDisabled()).to.equal(true);
    await waitForText(visitor, "media-camera-note", "Guests cannot send video");
    expect(await visitor.getByTestId("media-camera").getAttribute("title")).to.contain(
      "Guests cannot send video",
    );
    const kinds = await visitor.evaluate(() =>
      (window as unknown as { streams: MediaStream[] }).streams.flatMap((s) =>
        s.getTracks().map((t) => t.kind),
      ),
    );
    expect(kinds).to.deep.equal(["audio"]);
    await shot(callee, "web-media-callee-guest");
    await shot(visitor, "web-media-guest");

    await hangUp(visitor);
    expect(web.pages.pageErrors).to.deep.equal([]);
    await visitor.context().close();
  });

  it("a company's PBX calls a subscriber: the page takes it, hears the PBX and the PBX hears the page", async function () {
    const lab = await startSipLab(janus);
    try {
      const url = web.network.baseUrl;
      const kit = await ServiceKit.start(url, "Calling Co");
      const desk = await kit.service();
      const { remove } = await acceptCallsFrom(lab, url, kit.owner.access_token, desk.service_id);
      const before = lab.baresip.events.length;
      await lab.baresip.dial(lab.extension, `sip:${calleeNumber}@${lab.address}`);
      await take(`Call from ${lab.extension}`);
      await screen(callee, "answered");
      const established = await lab.baresip.event(
        (e) => e.type === "CALL_ESTABLISHED" && lab.baresip.events.indexOf(e) >= before,
        "CALL_ESTABLISHED",
      );
      const [, first, later] = await seesAndHears(callee, false);
      expect(later.audioPackets - first.audioPackets, "PBX packets in 2 s").to.be.above(50);
      expect(later.audioEnergy).to.be.above(0);
      await until("the page's sound at the PBX", async () =>
        lab.baresip.received(established.id) >= 50 ? true : undefined,
      );
      await waitForText(callee, "remote-note", "sends sound only");
      await waitForText(callee, "local-note", "Sound only");
      await shot(callee, "web-media-from-pbx");
      expect(await callee.getByTestId("media-status").textContent()).to.equal("");

      await callee.getByTestId("call-room").getByTestId("call-hangup").click();
      await screen(callee, "ended");
      await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === established.id, "CALL_CLOSED");
      await allClosed(callee);
      await callee.getByTestId("call-close").click();
      await remove();
    } finally {
      await lab.close();
    }
  });

  it("a visitor reaches a company's PBX: the browser hears the PBX and the PBX hears the browser", async function () {
    const lab = await startSipLab(janus);
    try {
      const url = web.network.baseUrl;
      const kit = await ServiceKit.start(url, "Phone Co");
      const desk = await kit.service();
      await ext(url, "PUT", `/services/${desk.service_id}/sip-trunk`, kit.owner.access_token, {
        uri: lab.extension,
        proxy: lab.proxy,
        mode: "instead",
      });
      const caller = await open(`/call/${desk.handle}`);
      await caller.locator('[data-testid="call-form"][data-loaded]').waitFor();
      await caller.getByTestId("call-topic-input").fill("Opening hours?");
      const before = lab.baresip.events.length;
      await caller.getByTestId("call-button").click();
      await screen(caller, "answered");
      const established = await lab.baresip.event(
        (e) => e.type === "CALL_ESTABLISHED" && lab.baresip.events.indexOf(e) >= before,
        "CALL_ESTABLISHED",
      );
      // The PBX's tone is played in the page; the page's microphone reaches the PBX.
      const [, first, later] = await seesAndHears(caller, false);
      expect(later.audioPackets - first.audioPackets, "PBX packets in 2 s").to.be.above(50);
      expect(later.audioEnergy).to.be.above(0);
      await until("the browser's sound at the PBX", async () =>
        lab.baresip.received(established.id) >= 50 ? true : undefined,
      );
      // The caller's clock shows the service's plan limit (the trial plan's 30 minutes).
      await waitForText(caller, "call-timer", /^0:\d\d of 30:00$/);
      await shot(caller, "web-media-pbx");
      // Its candidates went to the PBX's line, and nothing went wrong on the way.
      expect(await caller.getByTestId("media-status").textContent()).to.equal("");

      await caller.getByTestId("call-room").getByTestId("call-hangup").click();
      await screen(caller, "ended");
      await lab.baresip.event((e) => e.type === "CALL_CLOSED" && e.id === established.id, "CALL_CLOSED");
      await allClosed(caller);
    } finally {
      await lab.close();
    }
  });
});
