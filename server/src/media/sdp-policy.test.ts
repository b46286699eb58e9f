import { expect } from "chai";
import { activeVideo, inactiveForRejected, sectionKinds, withoutVideo } from "./sdp-policy.js";

/** The shape of a browser's bundled offer: audio, video, data; CRLF line ends. */
const offer = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1 2",
  "a=msid-semantic: WMS stream",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "c=IN IP4 0.0.0.0",
  "a=mid:0",
  "a=sendrecv",
  "a=rtpmap:111 opus/48000/2",
  "a=ssrc:1001 cname:x",
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
  "c=IN IP4 0.0.0.0",
  "a=mid:1",
  "a=sendrecv",
  "a=rtpmap:96 VP8/90000",
  "a=rtpmap:97 rtx/90000",
  "a=ssrc-group:FID 2001 2002",
  "a=ssrc:2001 cname:x",
  "a=ssrc:2002 cname:x",
  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
  "c=IN IP4 0.0.0.0",
  "a=mid:2",
  "",
].join("\r\n");

describe("guest SDP policy", () => {
  it("makes every video section inactive in place, keeps audio, data and the bundle", () => {
    const out = withoutVideo(offer);
    expect(sectionKinds(out)).to.deep.equal(["audio", "video", "application"]);
    expect(activeVideo(offer)).to.equal(true);
    expect(activeVideo(out)).to.equal(false);
    expect(out).to.include("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n");
    expect(out).to.include("a=group:BUNDLE 0 1 2\r\n");
    expect(out).not.to.include("a=ssrc:2001");
    expect(out).not.to.include("a=ssrc-group:FID 2001 2002");
    expect(out).to.include("a=ssrc:1001 cname:x");
    const video = out.slice(out.indexOf("m=video"), out.indexOf("m=application"));
    expect(video.match(/a=(sendrecv|sendonly|recvonly|inactive)/g)).to.deep.equal(["a=inactive"]);
    expect(out.endsWith("\r\n")).to.equal(true);
    expect(out).not.to.match(/[^\r]\n/);
  });

  it("makes a second video section a client adds on renegotiation inactive too, and leaves an audio-only offer alone", () => {
    const twice = offer.replace(
      "m=application",
      "m=video 9 UDP/TLS/RTP/SAVPF 98\r\na=mid:3\r\na=sendonly\r\nm=application",
    );
    expect(activeVideo(withoutVideo(twice))).to.equal(false);
    const audioOnly = offer.slice(0, offer.indexOf("m=video"));
    expect(withoutVideo(audioOnly)).to.equal(audioOnly);
  });

  it("tells an answer that still carries video from one that does not", () => {
    const answer = offer.replace("a=sendrecv\r\na=rtpmap:96", "a=inactive\r\na=rtpmap:96");
    expect(activeVideo(answer)).to.equal(false);
    expect(activeVideo(answer.replace("m=video 9", "m=video 0"))).to.equal(false);
    expect(activeVideo(offer.replace("a=sendrecv\r\na=rtpmap:96", "a=recvonly\r\na=rtpmap:96"))).to.equal(
      true,
    );
  });

  it("writes a section the gateway rejected, but the client bundled, back as inactive and bundled", () => {
    const guestOffer = withoutVideo(offer);
    const janusAnswer = offer
      .replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 2")
      .replace(
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:abcd\r\na=ice-pwd:secretsecret\r\na=setup:active\r\n",
      )
      .replace(
        /m=video 9[^\r]*\r\n(?:(?!m=)[^\r]*\r\n)*/,
        "m=video 0 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 10.0.0.2\r\na=inactive\r\na=mid:1\r\n",
      );
    const fixed = inactiveForRejected(janusAnswer, guestOffer);
    expect(fixed).to.include("a=group:BUNDLE 0 1 2\r\n");
    const video = fixed.slice(fixed.indexOf("m=video"), fixed.indexOf("m=application"));
    expect(video.split("\r\n").filter(Boolean)).to.deep.equal([
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
      "c=IN IP4 0.0.0.0",
      "a=ice-ufrag:abcd",
      "a=ice-pwd:secretsecret",
      "a=setup:active",
      "a=mid:1",
      "a=rtpmap:96 VP8/90000",
      "a=rtpmap:97 rtx/90000",
      "a=inactive",
    ]);
    expect(activeVideo(fixed)).to.equal(false);
    // A section the client itself rejected stays rejected.
    expect(inactiveForRejected(janusAnswer, offer.replace("m=video 9", "m=video 0"))).to.equal(janusAnswer);
  });
});
