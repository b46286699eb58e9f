/**
 * The generated sections of `calls.md`: the call states, the state diagram and the transitions
 * table (from `CallTransitions`, with the triggers of `calls-notes.ts`), the errors of the calls
 * API, the response views (from the interfaces of `protocol/callsign/calls.ts`), the default
 * inbox options, the protocol constants, the jobs and the settings that shape calls.
 */
import {
  CALL_ROOM_TYPE,
  CALL_STATE_EVENT,
  CallState,
  CallTransitions,
  DefaultInboxOptions,
  INBOX_ACCOUNT_DATA,
  isFinal,
  type CallStateValue,
} from "../../protocol/callsign/calls.js";
import { TAG_NAME, TEXT_MAX, TOPIC_MAX } from "../../protocol/callsign/requests.js";
import { CallsignPrefix, CallsignRoutes } from "../../protocol/callsign/routes.js";
import { ErrorCodes } from "../../protocol/errors.js";
import { routes } from "../../server/src/api/index.js";
import { settings } from "../../server/src/config/settings.js";
import { CallJobs } from "../../server/src/services/calls/job-names.js";
import {
  CallErrors,
  CallSettings,
  Placements,
  StateMeanings,
  Triggers,
  type Trigger,
} from "./calls-notes.js";
import { displayPath } from "./endpoint-tables.js";
import type { InterfaceField } from "./interfaces.js";
import { code, table } from "./markdown.js";
import type { Docs } from "./tsdoc.js";

export type Interfaces = Map<string, { doc?: string; fields: InterfaceField[] }>;

const states = Object.values(CallState);
const transitions = states.flatMap((from) => CallTransitions[from].map((to) => [from, to] as const));
/** The states a call starts in: those no transition leads to. */
const initial = states.filter((s) => !transitions.some(([, to]) => to === s));

/** The triggers of one transition; throws when there are none. */
function triggersOf(from: CallStateValue, to: CallStateValue): Trigger[] {
  const found = Triggers[from]?.[to];
  if (!found?.length) throw new Error(`calls-notes.ts: no trigger for the transition ${from} → ${to}`);
  return found;
}

/** Throws when `calls-notes.ts` describes a transition or a placement that does not exist. */
function checkNotes(): void {
  for (const [from, tos] of Object.entries(Triggers)) {
    for (const to of Object.keys(tos ?? {})) {
      if (!CallTransitions[from as CallStateValue].includes(to as CallStateValue)) {
        throw new Error(`calls-notes.ts: ${from} → ${to} is not in CallTransitions`);
      }
    }
  }
  const placed = Object.keys(Placements).sort();
  if (placed.join() !== [...initial].sort().join()) {
    throw new Error(`calls-notes.ts: Placements (${placed}) are not the initial states (${initial})`);
  }
}

/** The request of a trigger, `POST /calls/{callId}/take`; throws when the route is not served. */
function request(t: Trigger): string {
  if (!t.route) return "";
  const path = CallsignRoutes[t.route];
  if (!routes.some((r) => r.scope === "callsign" && r.path === path && r.method === "post")) {
    throw new Error(`calls-notes.ts: no POST route ${CallsignPrefix}${path} is served`);
  }
  return code(`POST ${displayPath(path)}`);
}

const seconds = (name: keyof typeof settings) => `${code(name)} (${settings[name].default} s)`;

function how(t: Trigger): string {
  const parts = [request(t)];
  if (t.job) {
    const when = "delay" in t.job ? `${seconds(t.job.delay)} after placement` : t.job.after;
    parts.push(`job ${code(t.job.name)}, ${when}`);
  }
  if (t.note) parts.push(t.note);
  return parts.filter(Boolean).join("; ");
}

/** Every state: its constant, whether it is final, and what it means. */
export function callStatesSection(): string {
  return table(
    ["state", "constant", "final", "meaning"],
    Object.entries(CallState).map(([k, v]) => [
      code(v),
      code(`CallState.${k}`),
      isFinal(v) ? "yes" : "",
      StateMeanings[v],
    ]),
  );
}

/** The lifecycle as a Mermaid state diagram. */
export function callDiagramSection(): string {
  checkNotes();
  const lines = [
    ...initial.map((s) => `  [*] --> ${s}: ${Placements[s]}`),
    ...transitions.map(
      ([from, to]) =>
        `  ${from} --> ${to}: ${triggersOf(from, to)
          .map((t) => t.label)
          .join(" / ")}`,
    ),
    ...states.filter(isFinal).map((s) => `  ${s} --> [*]`),
  ];
  return ["```mermaid", "stateDiagram-v2", ...lines, "```"].join("\n");
}

/** Every allowed transition, who triggers it and how. */
export function callTransitionsSection(): string {
  checkNotes();
  return table(
    ["from", "to", "triggered by", "how (requests under `/_callsign/client/v1`)"],
    transitions.flatMap(([from, to]) =>
      triggersOf(from, to).map((t) => [code(from), code(to), t.by, how(t)]),
    ),
  );
}

/** The errors of the calls API: code, HTTP status and when it arises. */
export function callErrorsSection(): string {
  return table(
    ["errcode", "HTTP status", "when"],
    Object.entries(CallErrors).map(([errcode, when]) => [
      code(errcode),
      String(ErrorCodes[errcode as keyof typeof ErrorCodes].status),
      when,
    ]),
  );
}

/** A heading and a field table per response view (exported interface of the calls protocol). */
export function callViewsSection(interfaces: Interfaces): string {
  return [...interfaces]
    .map(([name, { doc, fields }]) =>
      [
        `#### ${name}`,
        ...(doc ? [doc] : []),
        table(
          ["field", "type", "optional", "notes"],
          fields.map((f) => [code(f.name), code(f.type), f.optional ? "yes" : "", f.doc ?? ""]),
        ),
      ].join("\n\n"),
    )
    .join("\n\n");
}

/** The inbox options with their defaults and meanings. */
export function inboxOptionsSection(interfaces: Interfaces): string {
  const fields = interfaces.get("InboxOptions")?.fields ?? [];
  return table(
    ["option", "default", "meaning"],
    Object.entries(DefaultInboxOptions).map(([name, value]) => [
      code(name),
      code(value),
      fields.find((f) => f.name === name)?.doc ?? "",
    ]),
  );
}

/** The wire constants of calls, with their values and TSDoc. */
export function callConstantsSection(docs: Docs): string {
  // The meaning is the constant's TSDoc, unless a text is given here (`CallsignPrefix` has none:
  // the comment above it is its file's header).
  const constants: [string, unknown, string?][] = [
    ["CallsignPrefix", CallsignPrefix, "Prefix of every extension endpoint."],
    ["CALL_ROOM_TYPE", CALL_ROOM_TYPE],
    ["CALL_STATE_EVENT", CALL_STATE_EVENT],
    ["INBOX_ACCOUNT_DATA", INBOX_ACCOUNT_DATA],
    ["TOPIC_MAX", TOPIC_MAX],
    ["TEXT_MAX", TEXT_MAX],
    ["TAG_NAME", TAG_NAME.source, "A tag name: 1 to 32 of `a-z`, `0-9` and `-`, a letter or digit first."],
  ];
  return table(
    ["constant", "value", "meaning"],
    constants.map(([name, value, text]) => [code(name), code(value), text ?? docs.get(name) ?? ""]),
  );
}

/** The jobs of the calling subsystem, with their TSDoc (`server/src/services/calls/job-names.ts`). */
export function callJobsSection(jobDocs: Docs): string {
  return table(
    ["job name", "constant", "what it does; job ID"],
    Object.entries(CallJobs).map(([k, v]) => [
      code(v),
      code(`CallJobs.${k}`),
      jobDocs.get(`CallJobs.${k}`) ?? "",
    ]),
  );
}

/** The settings that shape calls: name, default and meaning. */
export function callSettingsSection(): string {
  return table(
    ["variable", "default", "meaning"],
    CallSettings.map((name) => {
      const def = settings[name];
      return [code(name), def.default === undefined ? "unset" : code(def.default), def.doc];
    }),
  );
}
