/**
 * The notification e-mails' words: pure functions from what happened to a subject and a
 * plain-text body. What other people wrote (names, topic, SMS text) is kept verbatim in the
 * body; in the subject, which becomes a header, line breaks are replaced so nothing a caller
 * types can start a header of its own.
 */

/** A subject and a plain-text body, to be sent with `EmailNotifier.send({ to, ...content })`. */
export interface EmailContent {
  subject: string;
  text: string;
}

export interface SmsEmailInput {
  /** The subscriber the e-mail goes to (greeting); may be empty. */
  toName: string;
  /** The sender's display name. */
  fromName: string;
  /** The sender's number, when they have one (guests may not). */
  fromNumber?: string;
  /** The topic the sender chose for the conversation, if any. */
  topic?: string;
  /** The SMS text. */
  text: string;
  /** The web client's inbox, where the subscriber reads and answers. */
  link: string;
}

export interface MissedCallEmailInput {
  toName: string;
  callerName: string;
  callerNumber?: string;
  /** The topic the caller gave for the call, if any. */
  topic?: string;
  /** When the call came in. Shown in UTC: the server does not know the subscriber's time zone. */
  at: Date;
  link: string;
}

/** Longest subject, in characters, before it is cut with "…". */
const MAX_SUBJECT = 150;

/**
 * One header-safe line: CR, LF and the other line and control characters become one space.
 * Exported for the SMTP adapter, which applies it again to whatever subject it is handed.
 */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, " ").trim();
}

function subjectOf(s: string): string {
  const line = oneLine(s).replace(/ {2,}/g, " ");
  return line.length <= MAX_SUBJECT ? line : `${line.slice(0, MAX_SUBJECT - 1).trimEnd()}…`;
}

const who = (name: string, number: string | undefined) => (number ? `${name} (${number})` : name);
const greeting = (toName: string) => (oneLine(toName) ? `Hello ${oneLine(toName)},` : "Hello,");

/** `2025-01-02 13:45 UTC` */
function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The e-mail telling a subscriber that an SMS arrived while they were away. */
export function smsEmail(input: SmsEmailInput): EmailContent {
  const sender = who(input.fromName, input.fromNumber);
  const subject = subjectOf(`SMS from ${sender}${input.topic ? `: ${input.topic}` : ""}`);
  const lines = [
    greeting(input.toName),
    "",
    `${sender} sent you an SMS${input.topic ? ` about "${input.topic}"` : ""}:`,
    "",
    input.text,
    "",
    `Read and answer it in your inbox: ${input.link}`,
  ];
  return { subject, text: `${lines.join("\n")}\n` };
}

/** The e-mail telling a subscriber about a call nobody answered. */
export function missedCallEmail(input: MissedCallEmailInput): EmailContent {
  const caller = who(input.callerName, input.callerNumber);
  const subject = subjectOf(`Missed call from ${caller}${input.topic ? `: ${input.topic}` : ""}`);
  const lines = [
    greeting(input.toName),
    "",
    `${caller} called you at ${utcMinute(input.at)} and nobody answered.`,
    ...(input.topic ? [`Topic: ${input.topic}`] : []),
    "",
    `Call back or send an SMS from your inbox: ${input.link}`,
  ];
  return { subject, text: `${lines.join("\n")}\n` };
}

export interface NameClaimedEmailInput {
  toName: string;
  name: string;
  domain: string;
  /** When the holder's paid term (or hold) ends; undefined when the name was handed over at once. */
  until: Date | undefined;
  link: string;
}

/** Tells a holder that the verified owner of the matching domain claimed their name. */
export function nameClaimedEmail(input: NameClaimedEmailInput): EmailContent {
  const lines = [
    greeting(input.toName),
    "",
    `The verified owner of ${input.domain} has claimed the name "${input.name}".`,
    input.until
      ? `You keep it until ${utcMinute(input.until)}; it cannot be renewed past that.`
      : "Its paid term had ended, so it has been handed over.",
    "",
    `Your names: ${input.link}`,
  ];
  return { subject: subjectOf(`Your name ${input.name} has been claimed`), text: `${lines.join("\n")}\n` };
}

export interface OperatorInviteEmailInput {
  /** The service's display name and handle. */
  service: string;
  handle: string | null;
  /** Whether the address already has an account (then it is active at once). */
  hasAccount: boolean;
  /** Where to sign in or register. */
  link: string;
}

/** Tells an address it was added as an operator of a service (or invited to register first). */
export function operatorInviteEmail(input: OperatorInviteEmailInput): EmailContent {
  const name = input.handle ? `${input.service} (${input.handle})` : input.service;
  const lines = [
    "Hello,",
    "",
    `You have been added as an operator of ${name}.`,
    input.hasAccount
      ? "Sign in, open Services and switch yourself online to take its calls:"
      : "Register with this e-mail address to accept; you will then find the service under Services:",
    input.link,
  ];
  return { subject: subjectOf(`You are invited to answer calls for ${name}`), text: `${lines.join("\n")}\n` };
}
