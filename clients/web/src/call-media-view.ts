/**
 * The videos of an answered call, beside its chat: the other side's video and sound, the user's
 * own camera (muted, mirrored), microphone and camera switches, the call's clock since it was
 * answered with the longest it may last (the service's plan, `limit_s`), and a hint of the
 * connection's quality. A guest sends sound only (the camera switch stays off and says why), and
 * so does either side of a call with a company's phone system. `close()` ends it all: tracks
 * stopped, connections closed.
 */
import type { MatrixClient } from "matrix-js-sdk";
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { FeedView } from "../../../protocol/callsign/media.js";
import { MediaApi, type CallsignApi } from "../../sdk/src/index.js";
import { startCallMedia } from "./call-media.js";
import { otherParty, partyName, roleIn } from "./call-text.js";
import { h } from "./dom.js";
import { describeError } from "./errors.js";
import { watchQuality } from "./media-stats.js";
import { callClockText, qualityText } from "./media-text.js";

export interface CallMediaView {
  element: HTMLElement;
  /** The call's latest state (its clock restarts when the next operator answers a transfer). */
  update: (call: CallView) => void;
  close: () => void;
}

export const GUEST_VIDEO_NOTE = "Guests cannot send video: sign up to use your camera.";

export function createCallMediaView(
  client: MatrixClient,
  api: CallsignApi,
  initial: CallView,
): CallMediaView {
  const me = client.getSafeUserId();
  const role = roleIn(initial, me);
  const guest = role === "caller" && initial.caller.is_guest;
  /** A call with a company's phone system carries sound only, whichever side it is on. */
  const phone = role === "caller" ? initial.pbx !== null : initial.from_pbx !== null;
  let call = initial;

  const remoteVideo = h("video", {
    class: "remote-video",
    autoplay: true,
    playsinline: true,
    testid: "remote-video",
  });
  const remoteNote = h("p", { class: "media-note", testid: "remote-note" });
  const play = h("button", { type: "button", hidden: true, testid: "media-play" }, "Play sound and video");
  const localVideo = h("video", {
    class: "local-video",
    autoplay: true,
    playsinline: true,
    testid: "local-video",
  });
  localVideo.muted = true;
  const localNote = h("p", { class: "media-note", testid: "local-note" }, "Starting…");
  const mute = h(
    "button",
    { type: "button", disabled: true, "aria-pressed": "false", testid: "media-mute" },
    "Mute",
  );
  const camera = h("button", {
    type: "button",
    disabled: true,
    "aria-pressed": "false",
    testid: "media-camera",
  });
  camera.textContent = guest ? "Camera off" : "Turn camera off";
  if (guest) camera.title = GUEST_VIDEO_NOTE;
  const clock = h("span", { class: "call-timer", testid: "call-timer" });
  const quality = h("span", { class: "media-quality", testid: "media-quality" }, qualityText(null));
  const status = h("p", { class: "muted media-status", testid: "media-status" });

  const showStatus = (text: string) => {
    status.textContent = text;
    status.hidden = !text;
  };
  const showRemote = (stream: MediaStream | null, feed: FeedView | null) => {
    const other = partyName(otherParty(call, role));
    if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
    const video = !!stream && stream.getVideoTracks().length > 0 && feed?.video !== false;
    remoteVideo.classList.toggle("no-video", !video);
    remoteNote.hidden = video;
    remoteNote.textContent = !stream
      ? `Waiting for ${other}'s sound and video…`
      : feed?.user_id === call.caller.user_id && call.caller.is_guest
        ? "Guests send sound only."
        : `${other} sends sound only.`;
    if (stream) {
      remoteVideo.play().then(
        () => (play.hidden = true),
        // Autoplay refused (no click on this page yet, e.g. after a reload): one click plays.
        (error: unknown) => (play.hidden = (error as DOMException).name !== "NotAllowedError"),
      );
    }
  };
  play.addEventListener("click", () => {
    remoteVideo.play().then(
      () => (play.hidden = true),
      (error: unknown) => showStatus(describeError(error)),
    );
  });

  const showLocal = (stream: MediaStream | null) => {
    localVideo.srcObject = stream;
    const hasVideo = !!stream?.getVideoTracks().length;
    localVideo.classList.toggle("no-video", !hasVideo);
    localNote.hidden = hasVideo;
    localNote.textContent = !stream ? "Not sending" : guest || phone ? "Sound only" : "No camera";
    mute.disabled = !stream?.getAudioTracks().length;
    camera.disabled = !hasVideo;
    if (!hasVideo) camera.textContent = stream && !guest && !phone ? "No camera" : "Camera off";
  };
  const toggle = (button: HTMLButtonElement, kind: "audio" | "video", on: string, off: string) => {
    button.addEventListener("click", () => {
      const tracks =
        (localVideo.srcObject as MediaStream | null)?.getTracks().filter((t) => t.kind === kind) ?? [];
      const enabled = !tracks.every((t) => t.enabled);
      for (const t of tracks) t.enabled = enabled;
      button.setAttribute("aria-pressed", String(!enabled));
      button.textContent = enabled ? off : on;
      if (kind === "video") localVideo.classList.toggle("camera-off", !enabled);
    });
  };
  toggle(mute, "audio", "Unmute", "Mute");
  toggle(camera, "video", "Turn camera on", "Turn camera off");

  const media = startCallMedia(client, new MediaApi(api.baseUrl, api.accessToken!), call, guest, {
    onLocal: showLocal,
    onRemote: showRemote,
    onStatus: showStatus,
    // Here rather than on the page's error line: the chat and the call's buttons still work.
    onError: (error) => showStatus(`Sound and video: ${describeError(error)}`),
  });
  const stopQuality = watchQuality(media.connections, (rating, sample) => {
    quality.hidden = media.connections().length === 0;
    quality.dataset.quality = rating ?? "";
    quality.textContent = qualityText(rating, sample);
  });

  const tick = () => {
    clock.hidden = call.answered_at === null;
    if (call.answered_at === null) return;
    clock.textContent = callClockText(Date.now() - call.answered_at, call.limit_s);
  };
  const timer = setInterval(tick, 1000);
  const update = (next: CallView) => {
    call = next;
    tick();
  };
  update(initial);
  showRemote(null, null);

  return {
    element: h(
      "div",
      { class: "call-media", testid: "call-media" },
      h(
        "div",
        { class: "media-stage" },
        h("figure", { class: "media-remote" }, remoteVideo, remoteNote, play),
        h("figure", { class: "media-local" }, localVideo, localNote),
      ),
      h("div", { class: "row media-controls" }, mute, camera, clock, quality),
      guest && h("p", { class: "muted", testid: "media-camera-note" }, GUEST_VIDEO_NOTE),
      status,
    ),
    update,
    close: () => {
      clearInterval(timer);
      stopQuality();
      media.close();
      remoteVideo.srcObject = null;
      localVideo.srcObject = null;
    },
  };
}
