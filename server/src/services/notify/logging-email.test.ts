import { expect } from "chai";
import { LoggingEmailNotifier } from "./logging-email.js";

describe("LoggingEmailNotifier", () => {
  it("writes the whole message to the log", async () => {
    const lines: { obj: object; msg: string }[] = [];
    const notifier = new LoggingEmailNotifier({ info: (obj, msg) => lines.push({ obj, msg }) });
    const message = { to: "ada@example.org", subject: "SMS from Bob", text: "hello\n" };

    await notifier.send(message);
    await notifier.close();

    expect(lines).to.have.length(1);
    expect(lines[0]!.obj).to.deep.equal({ email: message });
    expect(lines[0]!.msg).to.match(/no SMTP relay/);
  });
});
