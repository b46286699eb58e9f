import { expect } from "chai";
import { missedCallEmail, oneLine, smsEmail } from "./templates.js";

const link = "https://telco-a.example/#/inbox";

describe("notification e-mail templates", () => {
  describe("smsEmail", () => {
    const base = { toName: "Ada", fromName: "Bob", fromNumber: "+4930123456", topic: "Invoice 42", link };

    it("names the sender and topic in the subject and keeps the text verbatim in the body", () => {
      const text = "Hi Ada,\r\n\r\n  please call back — Grüße\n> quoted\n.\n";
      const mail = smsEmail({ ...base, text });
      expect(mail.subject).to.equal("SMS from Bob (+4930123456): Invoice 42");
      expect(mail.text).to.include("Hello Ada,");
      expect(mail.text).to.include('Bob (+4930123456) sent you an SMS about "Invoice 42":');
      expect(mail.text).to.include(`\n\n${text}\n\n`);
      expect(mail.text).to.include(link);
    });

    it("leaves out what is not known", () => {
      const mail = smsEmail({ toName: "", fromName: "Guest", text: "hello", link });
      expect(mail.subject).to.equal("SMS from Guest");
      expect(mail.text).to.match(/^Hello,\n/);
      expect(mail.text).to.include("Guest sent you an SMS:");
      expect(mail.text).not.to.include("undefined");
    });

    it("keeps line breaks a sender put in names or the topic out of the subject", () => {
      const mail = smsEmail({
        ...base,
        fromName: "Eve\r\nBcc: victim@example.org",
        topic: "x\nContent-Type: text/html\r\n\r\n<b>",
        text: "t",
      });
      expect(mail.subject).not.to.match(/[\r\n]/);
      expect(mail.subject).to.equal(
        "SMS from Eve Bcc: victim@example.org (+4930123456): x Content-Type: text/html <b>",
      );
    });

    it("cuts a very long subject", () => {
      const mail = smsEmail({ ...base, topic: "y".repeat(1000), text: "t" });
      expect(mail.subject.length).to.be.at.most(150);
      expect(mail.subject.endsWith("…")).to.equal(true);
      expect(mail.text).to.include("y".repeat(1000));
    });
  });

  describe("missedCallEmail", () => {
    const at = new Date("2025-03-04T05:06:07.890Z");

    it("names the caller, topic, time and inbox link", () => {
      const mail = missedCallEmail({
        toName: "Ada",
        callerName: "Bob",
        callerNumber: "+4930123456",
        topic: "Delivery",
        at,
        link,
      });
      expect(mail.subject).to.equal("Missed call from Bob (+4930123456): Delivery");
      expect(mail.text).to.include("Bob (+4930123456) called you at 2025-03-04 05:06 UTC");
      expect(mail.text).to.include("Topic: Delivery");
      expect(mail.text).to.include(link);
    });

    it("has a one-line subject whatever the caller calls themselves", () => {
      const mail = missedCallEmail({ toName: "Ada", callerName: "A\u2028B\rC\nD\u0000E", at, link });
      expect(mail.subject).to.equal("Missed call from A B C D E");
      expect(mail.text).not.to.include("Topic:");
    });
  });

  describe("oneLine", () => {
    it("turns every run of line and control characters into one space", () => {
      expect(oneLine(" a\r\n\r\nb\tc\u0085d ")).to.equal("a b c d");
    });
  });
});
