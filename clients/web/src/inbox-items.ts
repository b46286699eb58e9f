/**
 * One SMS or one missed call in an inbox (the user's own, or a service's), with reply and
 * call-back when the sender can get them; an SMS whose sender asked to be called back says so.
 */
import type { CallView, InboxView, PartyView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import { partyName } from "./call-text.js";
import { busy, field, h, type Child, type ListItem } from "./dom.js";
import type { ErrorLine } from "./errors.js";

type Sms = InboxView["sms"][number];
type Missed = InboxView["missed"][number];

export interface ItemContext {
  api: CallsignApi;
  errors: ErrorLine;
  onCall: (call: CallView) => void;
  isNew: (id: string) => boolean;
}

export function smsItem(sms: Sms, ctx: ItemContext): ListItem<Sms> {
  const { api, errors } = ctx;
  const sent = h("p", { class: "muted", hidden: true, testid: "inbox-reply-sent" }, "Reply sent.");
  const form = h(
    "form",
    { class: "inline-form", hidden: true, testid: "inbox-reply-form" },
    h("input", {
      name: "text",
      required: true,
      maxlength: "2000",
      "aria-label": "Reply",
      testid: "inbox-reply-text",
    }),
    h("button", { type: "submit", class: "primary small", testid: "inbox-reply-send" }, "Send"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field(form, "text");
    if (!text) return;
    void busy(form, errors, () => api.replyToSms(sms.sms_id, text)).then((done) => {
      if (done === undefined) return;
      form.reset();
      form.hidden = true;
      sent.hidden = false;
    });
  });
  const reply = h("button", { type: "button", class: "small", testid: "inbox-reply" }, "Reply");
  reply.addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden) form.querySelector("input")?.focus();
  });
  const callBack = callBackButton(sms.from, ctx, () => api.callBackSms(sms.sms_id));

  const element = h(
    "li",
    { class: "inbox-item", "data-sms-id": sms.sms_id, testid: "inbox-sms" },
    heading(
      sms.from,
      sms.created_at,
      sms.call_back &&
        h("span", { class: "pill call-back", testid: "inbox-call-back-requested" }, "Call back requested"),
    ),
    topicLine(sms.topic),
    h("p", { class: "inbox-text", testid: "inbox-text" }, sms.text),
    sms.from.is_guest ? guestNote() : h("div", { class: "row" }, reply, callBack),
    form,
    sent,
  );
  return { element, update: (next) => element.classList.toggle("new", ctx.isNew(next.sms_id)) };
}

export function missedItem(call: Missed, ctx: ItemContext): ListItem<Missed> {
  const element = h(
    "li",
    { class: "inbox-item", "data-call-id": call.call_id, testid: "inbox-missed" },
    heading(call.caller, call.created_at),
    topicLine(call.topic),
    call.caller.is_guest
      ? guestNote()
      : h(
          "div",
          { class: "row" },
          callBackButton(call.caller, ctx, () => ctx.api.callBack(call.call_id)),
        ),
  );
  return { element, update: (next) => element.classList.toggle("new", ctx.isNew(next.call_id)) };
}

function heading(party: PartyView, at: number, ...badges: Child[]): HTMLElement {
  const date = new Date(at);
  return h(
    "div",
    { class: "meta" },
    h("strong", { class: "inbox-from", testid: "inbox-from", title: party.user_id }, partyName(party)),
    party.number && party.number !== partyName(party) && h("span", { class: "muted" }, party.number),
    h("time", { datetime: date.toISOString() }, date.toLocaleString()),
    ...badges,
  );
}

function topicLine(topic: string | null): HTMLElement | null {
  if (!topic) return null;
  return h(
    "p",
    { class: "inbox-topic" },
    h("span", { class: "muted" }, "Topic: "),
    h("span", { testid: "inbox-topic" }, topic),
  );
}

function guestNote(): HTMLElement {
  return h(
    "p",
    { class: "muted", testid: "inbox-guest" },
    "A guest: there is nobody to call back or reply to.",
  );
}

function callBackButton(to: PartyView, ctx: ItemContext, place: () => Promise<CallView>): HTMLButtonElement {
  const button = h(
    "button",
    { type: "button", class: "primary small", testid: "inbox-call-back", title: `Call ${partyName(to)}` },
    "Call back",
  );
  button.addEventListener("click", () => {
    void busy(button, ctx.errors, place).then((call) => call && ctx.onCall(call));
  });
  return button;
}
