/**
 * The notifier used when no SMTP relay is configured (embedded mode, development): each e-mail
 * is written to the log, so an operator or developer can still see what would have been sent.
 * The log line holds the message body, which is the subscriber's SMS text: configure
 * CALLSIGN_SMTP_URL wherever logs should not carry message content.
 */
import type { EmailMessage, EmailNotifier, NotifyLogger } from "./email.js";

export class LoggingEmailNotifier implements EmailNotifier {
  constructor(private readonly logger: NotifyLogger) {}

  async send(m: EmailMessage): Promise<void> {
    this.logger.info(
      { email: { to: m.to, subject: m.subject, text: m.text } },
      "e-mail not sent (no SMTP relay configured)",
    );
  }

  async close(): Promise<void> {}
}
