/**
 * Sends notification e-mails through an SMTP relay (CALLSIGN_SMTP_URL) with nodemailer. Each
 * message opens its own connection: notifications are sparse, and a fresh connection per job
 * means no pooled connection can go stale between jobs.
 *
 * Failures are mapped by RFC 5321 reply class: a 5xx reply (except 503, "bad sequence", which is
 * about the session, not the message) is permanent → `EmailRejectedError`; a 4xx reply or a
 * connection that fails, drops or times out is transient → `EmailUnavailableError`.
 */
import {
  createTransport,
  type NodemailerError,
  type SMTPSentMessageInfo,
  type Transporter,
} from "nodemailer";
import type { EmailMessage, EmailNotifier } from "./email.js";
import { EmailRejectedError, EmailUnavailableError } from "./errors.js";
import { oneLine } from "./templates.js";

export interface SmtpEmailOptions {
  /**
   * `smtp://[user:pass@]host[:port]` (port 587 by default, STARTTLS when the relay offers it) or
   * `smtps://[user:pass@]host[:port]` (TLS from the start, port 465 by default). User and
   * password are percent-decoded. nodemailer's query options (`?tls.servername=…`) also apply.
   */
  url: string;
  /** The From header and envelope sender: `Name <address>` or `address`. */
  from: string;
  /** How long to wait for the connection and then for the relay's greeting, each. Default 10000 ms. */
  connectTimeoutMs?: number;
  /** How long the relay may stay silent during a session. Default 60000 ms. */
  socketTimeoutMs?: number;
}

/** nodemailer codes for problems that no later attempt can fix: the message or the settings are unusable. */
const permanentCodes = new Set(["EENVELOPE", "ECONFIG", "ENOAUTH", "EMAXRECIPIENTS"]);

/** RFC 5321: 5yz is a permanent negative reply, except 503 (bad sequence of commands). */
const isPermanentReply = (code: number) => code >= 500 && code < 600 && code !== 503;

/** Turns whatever nodemailer threw into an error that tells the job engine whether to retry. */
export function classifySmtpError(err: unknown): EmailRejectedError | EmailUnavailableError {
  const e = (err instanceof Error ? err : new Error(String(err))) as NodemailerError;
  const message = `SMTP relay: ${e.message}`;
  if (typeof e.responseCode === "number") {
    return isPermanentReply(e.responseCode)
      ? new EmailRejectedError(message, e.responseCode)
      : new EmailUnavailableError(message, e.responseCode);
  }
  if (e.code && permanentCodes.has(e.code)) return new EmailRejectedError(message);
  return new EmailUnavailableError(message);
}

export class SmtpEmailNotifier implements EmailNotifier {
  private readonly transport: Transporter<SMTPSentMessageInfo>;
  private readonly from: string;

  constructor(opts: SmtpEmailOptions) {
    const protocol = new URL(opts.url).protocol;
    if (protocol !== "smtp:" && protocol !== "smtps:") {
      throw new Error(`SMTP relay URL must be smtp: or smtps:, not ${protocol}`);
    }
    const connectTimeout = opts.connectTimeoutMs ?? 10_000;
    this.transport = createTransport({
      url: opts.url,
      connectionTimeout: connectTimeout,
      greetingTimeout: connectTimeout,
      socketTimeout: opts.socketTimeoutMs ?? 60_000,
    });
    this.from = opts.from;
  }

  async send(m: EmailMessage): Promise<void> {
    if (/[\r\n]/.test(m.to)) throw new EmailRejectedError("recipient address contains a line break");
    try {
      await this.transport.sendMail({
        from: this.from,
        to: m.to,
        subject: oneLine(m.subject),
        text: m.text,
        // RFC 3834: keeps vacation responders and the like from answering a notification.
        headers: { "Auto-Submitted": "auto-generated" },
      });
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
