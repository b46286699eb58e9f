/**
 * Picks the e-mail notifier for the configuration: the SMTP relay when CALLSIGN_SMTP_URL is
 * set, the log otherwise. Build one in the app context and close it at shutdown.
 */
import type { EmailNotifier, NotifyLogger } from "./email.js";
import { LoggingEmailNotifier } from "./logging-email.js";
import { SmtpEmailNotifier } from "./smtp-email.js";

export type { EmailMessage, EmailNotifier, NotifyLogger } from "./email.js";
export { EmailRejectedError, EmailUnavailableError } from "./errors.js";
export { missedCallEmail, smsEmail, type EmailContent } from "./templates.js";

/** `mail` is `Config["mail"]`. */
export function createEmailNotifier(
  mail: { smtpUrl?: string; from: string },
  logger: NotifyLogger,
): EmailNotifier {
  return mail.smtpUrl
    ? new SmtpEmailNotifier({ url: mail.smtpUrl, from: mail.from })
    : new LoggingEmailNotifier(logger);
}
