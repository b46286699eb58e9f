/**
 * A call's transfers (its hops), oldest first: where it went from and to, who sent it on and
 * their note. The queue shows them so that the next operator knows the story before taking the
 * call; the call screen shows them to both sides.
 */
import type { HopView } from "../../../protocol/callsign/calls.js";
import { partyName } from "./call-text.js";
import { h } from "./dom.js";

/** The list of hops, or null when the call was never transferred. */
export function renderHops(hops: HopView[]): HTMLElement | null {
  if (hops.length === 0) return null;
  return h("ol", { class: "hops", testid: "call-hops" }, ...hops.map(hopLine));
}

function hopLine(hop: HopView): HTMLElement {
  const at = new Date(hop.at);
  return h(
    "li",
    { class: "hop", testid: "call-hop" },
    h(
      "span",
      { testid: "hop-route" },
      `${partyName(hop.from)} → ${partyName(hop.to)}`,
      h("span", { class: "muted" }, ` by ${partyName(hop.by)}`),
    ),
    h("time", { class: "muted", datetime: at.toISOString() }, at.toLocaleTimeString()),
    hop.note && h("q", { class: "hop-note", testid: "hop-note" }, hop.note),
  );
}
