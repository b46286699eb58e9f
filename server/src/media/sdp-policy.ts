/**
 * What a guest may send (BRIEF F10, spec/media.md "Guests never publish video"): a guest's offer
 * keeps its audio and data sections, and every video section is made **inactive** — its
 * direction `inactive`, its SSRCs and stream IDs dropped — so the media gateway answers it
 * inactive too and the guest's client, whatever it offered, negotiates no video to send. The
 * section stays in place and in the BUNDLE group (rejecting it with port 0 is also JSEP-correct,
 * but some clients then fail the whole connection). The gateway is also told the publisher has
 * no video, its answer is checked again (`activeVideo`), and a subscription's offer from a
 * guest's feed goes through the same rewrite.
 *
 * The rewrite works on m-sections (RFC 8866 §5.14): a section runs from its `m=` line to the
 * next; session-level lines come first. Line endings are kept as CRLF, which SDP requires.
 */

interface Section {
  lines: string[];
}

const split = (sdp: string) => {
  const lines = sdp.split(/\r?\n/).filter((l, i, all) => l !== "" || i < all.length - 1);
  const session: string[] = [];
  const sections: Section[] = [];
  for (const line of lines) {
    if (line.startsWith("m=")) sections.push({ lines: [line] });
    else if (sections.length) sections[sections.length - 1]!.lines.push(line);
    else session.push(line);
  }
  return { session, sections };
};

const join = (session: string[], sections: Section[]) =>
  [...session, ...sections.flatMap((s) => s.lines)].filter((l) => l !== "").join("\r\n") + "\r\n";

const media = (s: Section) => s.lines[0]!.slice(2).split(" ")[0];
const port = (s: Section) => Number(s.lines[0]!.split(" ")[1]);
const mid = (s: Section) => s.lines.find((l) => l.startsWith("a=mid:"))?.slice(6);
const DIRECTIONS = ["a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"];
const direction = (s: Section) => s.lines.find((l) => DIRECTIONS.includes(l))?.slice(2) ?? "sendrecv";

/** Lines of a video section that would send: directions, SSRCs, stream IDs. */
const SENDING = /^a=(sendrecv|sendonly|recvonly|inactive|ssrc:|ssrc-group:|msid:)/;

/** The offer with every video section made inactive (in place, still bundled). */
export function withoutVideo(sdp: string): string {
  const { session, sections } = split(sdp);
  const out = sections.map((s) =>
    media(s) === "video" ? { lines: [...s.lines.filter((l) => !SENDING.test(l)), "a=inactive"] } : s,
  );
  return join(session, out);
}

/** Transport lines a bundled section shares with the section that carries the transport. */
const TRANSPORT = /^(c=|a=(ice-ufrag|ice-pwd|ice-options|setup|rtcp-mux)(:|$))/;
/** Lines that describe the formats of a section. */
const FORMATS = /^a=(rtpmap|fmtp|rtcp-fb):/;

/**
 * The gateway's answer with every section it rejected (port 0) that the offer did not reject
 * written back as **inactive and bundled**: the offer's formats, the transport of the answer's
 * first bundled section, `a=inactive`, and its mid back in the BUNDLE group. Janus rejects a
 * video section it will not receive; a client whose offer bundled that section would otherwise
 * see it rejected out of its bundle, which some clients treat as a failed connection. Nothing
 * flows either way: the gateway has no stream for it.
 */
export function inactiveForRejected(answer: string, offer: string): string {
  const a = split(answer);
  const o = split(offer);
  const carrier = a.sections.find((s) => port(s) !== 0);
  if (!carrier) return answer;
  const mids: string[] = [];
  const sections = a.sections.map((s, i) => {
    const offered = o.sections[i];
    if (port(s) !== 0 || !offered || port(offered) === 0 || media(offered) !== media(s)) return s;
    const [m, ...rest] = offered.lines;
    const parts = m!.split(" ");
    parts[1] = String(port(carrier));
    const offeredMid = mid(offered);
    if (offeredMid !== undefined) mids.push(offeredMid);
    return {
      lines: [
        parts.join(" "),
        // SDP puts c= before the attributes.
        ...carrier.lines.filter((l) => l.startsWith("c=")),
        ...carrier.lines.filter((l) => TRANSPORT.test(l) && !l.startsWith("c=")),
        ...(offeredMid !== undefined ? [`a=mid:${offeredMid}`] : []),
        ...rest.filter((l) => FORMATS.test(l)),
        "a=inactive",
      ],
    };
  });
  const order = sections.map(mid);
  const session = a.session.map((l) => {
    if (!l.startsWith("a=group:BUNDLE") || mids.length === 0) return l;
    const bundled = new Set([
      ...l.slice("a=group:BUNDLE".length).trim().split(/\s+/).filter(Boolean),
      ...mids,
    ]);
    return ["a=group:BUNDLE", ...order.filter((m): m is string => m !== undefined && bundled.has(m))].join(
      " ",
    );
  });
  return join(session, sections);
}

/** Whether the SDP has a video section that carries media (port not 0, not inactive). */
export function activeVideo(sdp: string): boolean {
  return split(sdp).sections.some(
    (s) => media(s) === "video" && port(s) !== 0 && direction(s) !== "inactive",
  );
}

/** The m-section kinds in order (e.g. `["audio", "video"]`), for checks and tests. */
export function sectionKinds(sdp: string): string[] {
  return split(sdp).sections.map((s) => media(s)!);
}
