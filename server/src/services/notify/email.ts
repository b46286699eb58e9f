/**
 * E-mail notifications to subscribers (an SMS arrived, a call was missed). The relay is outside
 * our control, so the services see only `EmailNotifier`: `SmtpEmailNotifier` hands messages to a
 * real SMTP relay, `LoggingEmailNotifier` writes them to the log when none is configured, and
 * tests run the SMTP adapter against a real SMTP server on loopback rather than a mock.
 *
 * `send` is called from jobs, so its failures say whether another attempt can help: a rejection
 * that retrying cannot change is an `EmailRejectedError` (an `UnrecoverableJobError`), anything
 * else an `EmailUnavailableError` (a plain `Error`), which the job engine retries with back-off.
 */

/** One plain-text e-mail. */
export interface EmailMessage {
  /** Recipient address, `a@b.example` or `Name <a@b.example>`. */
  to: string;
  /** Single line; build it with the functions of `templates.ts`, which strip line breaks. */
  subject: string;
  /** Plain-text body (no HTML). */
  text: string;
}

export interface EmailNotifier {
  /** Delivers one message to the relay; resolves once the relay has accepted it. */
  send(m: EmailMessage): Promise<void>;
  /** Releases connections; call at shutdown, after the job workers have stopped. */
  close(): Promise<void>;
}

/** The subset of a pino logger the notifiers use. */
export interface NotifyLogger {
  info(obj: object, msg: string): void;
}
