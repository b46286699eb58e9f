/**
 * The page of a call link (`/call/<handle>` or `/call/<handle>/<tag>`): who answers to it, what
 * they accept, a topic (preset by the tag) and the Call button. Signed out, calling continues as
 * a guest; signed in, it calls with the account.
 */
import type { CallView, HandleView } from "../../../protocol/callsign/calls.js";
import type { CallsignApi } from "../../sdk/src/index.js";
import type { CallTarget } from "./call-links.js";
import { calleeStatus, partyName } from "./call-text.js";
import { placeOrResume } from "./call-watch.js";
import { busy, field, h, replaceChildren, type Child } from "./dom.js";
import { describeError, type ErrorLine } from "./errors.js";

export interface CallLinkViewOptions {
  target: CallTarget;
  errors: ErrorLine;
  /** For the look-up, which works signed out too. */
  lookup: CallsignApi;
  /** Whether the call would be placed as a guest (signed out, or a guest session). */
  asGuest: boolean;
  /** The API to place the call with; signed out, this first becomes a guest. */
  callerApi: () => Promise<CallsignApi>;
  onCall: (call: CallView, api: CallsignApi) => void;
  /** Offered to a signed-out visitor who would rather use their account. */
  onSignIn?: () => void;
}

export function renderCallLinkView(options: CallLinkViewOptions): HTMLElement {
  const { target, errors, lookup, asGuest, callerApi, onCall, onSignIn } = options;
  const about = h("div", { class: "callee", testid: "callee" }, h("p", { class: "muted" }, "Looking up…"));
  const topicInput = h("textarea", {
    name: "topic",
    rows: "2",
    maxlength: "500",
    placeholder: "What is the call about?",
    testid: "call-topic-input",
  });
  const callButton = h(
    "button",
    { type: "submit", class: "primary", disabled: true, testid: "call-button" },
    "Call",
  );
  const form = h(
    "form",
    { class: "call-form", testid: "call-form" },
    h("label", {}, h("span", { testid: "call-topic-label" }, "Topic or question"), topicInput),
    callButton,
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const topic = field(form, "topic");
    const request = {
      handle: target.handle,
      ...(target.tag && { tag: target.tag }),
      ...(topic && { topic }),
    };
    void busy(form, errors, async () => {
      const api = await callerApi();
      onCall(await placeOrResume(api, request), api);
    });
  });

  let signIn: HTMLButtonElement | null = null;
  if (onSignIn) {
    signIn = h(
      "button",
      { type: "button", class: "link", testid: "call-link-sign-in" },
      "Sign in or sign up instead",
    );
    signIn.addEventListener("click", onSignIn);
  }

  lookup.handle(target.handle, target.tag).then(
    (handle) => {
      replaceChildren(about, ...describeCallee(handle, asGuest));
      if (handle.tag?.topic && !topicInput.value) topicInput.value = handle.tag.topic;
      topicInput.required = !handle.accepts.one_click;
      callButton.disabled = handle.paused || !handle.accepts.calls || (asGuest && !handle.accepts.anonymous);
      form.dataset.loaded = "true";
    },
    (error: unknown) => {
      // An unknown handle or an expired tag: the server's own words, and nothing to call.
      replaceChildren(
        about,
        h("p", { class: "error-text", role: "alert", testid: "call-link-error" }, describeError(error)),
      );
      form.hidden = true;
    },
  );

  return h(
    "section",
    { class: "card call-link", testid: "call-link" },
    h("h2", {}, `Call ${target.handle}`),
    about,
    form,
    signIn,
  );
}

function describeCallee(handle: HandleView, asGuest: boolean): Child[] {
  const { accepts, user } = handle;
  const name = partyName(user);
  const status = calleeStatus(handle);
  const notes: string[] = [];
  if (handle.paused) notes.push(`${name} is not taking calls because its subscription is unpaid.`);
  else if (!accepts.calls) notes.push(`${name} does not take calls at the moment.`);
  else if (asGuest && !accepts.anonymous)
    notes.push(`${name} takes calls only from callers with an account: sign in to call.`);
  if (!accepts.one_click) notes.push("A topic is required.");
  return [
    h("p", { class: "callee-name", testid: "callee-name" }, name),
    user.number && h("p", { class: "muted", testid: "callee-number" }, `Number ${user.number}`),
    h(
      "p",
      { class: `presence ${status.state}`, "data-state": status.state, testid: "callee-online" },
      status.text,
    ),
    handle.tag &&
      h(
        "p",
        { class: "muted", testid: "callee-tag" },
        `Link "${handle.tag.name}", valid until ${new Date(handle.tag.expires_at).toLocaleDateString()}`,
      ),
    ...notes.map((note) => h("p", { class: "note", testid: "call-link-note" }, note)),
  ];
}
