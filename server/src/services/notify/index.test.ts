import { expect } from "chai";
import { pino } from "pino";
import { createEmailNotifier } from "./index.js";
import { LoggingEmailNotifier } from "./logging-email.js";
import { SmtpEmailNotifier } from "./smtp-email.js";

describe("createEmailNotifier", () => {
  // A real pino logger, so the type check also covers what main.ts will pass.
  const logger = pino({ level: "silent" });
  const from = "Callsign <noreply@telco-a.example>";

  it("uses the SMTP relay when one is configured", async () => {
    const notifier = createEmailNotifier({ smtpUrl: "smtp://relay.example:587", from }, logger);
    expect(notifier).to.be.instanceOf(SmtpEmailNotifier);
    await notifier.close();
  });

  it("logs the e-mails otherwise", async () => {
    const notifier = createEmailNotifier({ smtpUrl: undefined, from }, logger);
    expect(notifier).to.be.instanceOf(LoggingEmailNotifier);
    await notifier.close();
  });
});
