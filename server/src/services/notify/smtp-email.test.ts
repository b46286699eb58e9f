// SmtpEmailNotifier against a real SMTP server on loopback: what arrives, and how each kind of
// refusal maps to "retry" or "give up".
import net from "node:net";
import { expect } from "chai";
import { UnrecoverableJobError } from "../../jobs/types.js";
import { EmailRejectedError, EmailUnavailableError } from "./errors.js";
import { parseMail, startSmtpServer } from "../../../../test/helpers/smtp-server.js";
import { classifySmtpError, SmtpEmailNotifier } from "./smtp-email.js";

const FROM = "Callsign <noreply@telco-a.example>";

describe("SmtpEmailNotifier", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function notifier(url: string): SmtpEmailNotifier {
    const n = new SmtpEmailNotifier({ url, from: FROM, connectTimeoutMs: 2000, socketTimeoutMs: 2000 });
    closers.push(() => n.close());
    return n;
  }

  async function server(opts: Parameters<typeof startSmtpServer>[0] = {}) {
    const s = await startSmtpServer(opts);
    closers.push(() => s.close());
    return s;
  }

  async function sendError(n: SmtpEmailNotifier): Promise<unknown> {
    try {
      await n.send({ to: "ada@example.org", subject: "s", text: "t" });
    } catch (err) {
      return err;
    }
    expect.fail("send resolved");
  }

  it("delivers sender, recipient, subject and body as given", async () => {
    const smtp = await server();
    const text = "Grüße aus Zürich — call me back?\n.\nA line with a lone dot, and one more.\n";
    await notifier(smtp.url).send({ to: "Ada <ada@example.org>", subject: "SMS from Bob: Übermorgen", text });

    expect(smtp.received).to.have.length(1);
    const [mail] = smtp.received;
    expect(mail!.mailFrom).to.equal("noreply@telco-a.example");
    expect(mail!.rcptTo).to.deep.equal(["ada@example.org"]);
    const parsed = parseMail(mail!.raw);
    expect(parsed.headers.get("from")).to.equal(FROM);
    expect(parsed.headers.get("to")).to.equal("Ada <ada@example.org>");
    expect(parsed.subject).to.equal("SMS from Bob: Übermorgen");
    expect(parsed.headers.get("auto-submitted")).to.equal("auto-generated");
    expect(parsed.headers.get("content-type")).to.match(/^text\/plain; charset=utf-8$/i);
    expect(parsed.text).to.equal(text);
  });

  it("keeps a subject with line breaks on one header line", async () => {
    const smtp = await server();
    await notifier(smtp.url).send({
      to: "ada@example.org",
      subject: "Hi\r\nBcc: eve@example.org",
      text: "t",
    });
    const parsed = parseMail(smtp.received[0]!.raw);
    expect(parsed.subject).to.equal("Hi Bcc: eve@example.org");
    expect(parsed.headers.has("bcc")).to.equal(false);
    expect(smtp.received[0]!.rcptTo).to.deep.equal(["ada@example.org"]);
  });

  it("logs in with the percent-decoded user and password of the URL", async () => {
    const smtp = await server({ users: { "alerts@telco-a.example": "p@ss word" } });
    const url = `smtp://alerts%40telco-a.example:p%40ss%20word@127.0.0.1:${smtp.port}`;
    await notifier(url).send({ to: "ada@example.org", subject: "s", text: "t" });
    expect(smtp.received.map((m) => m.user)).to.deep.equal(["alerts@telco-a.example"]);
  });

  it("gives up for good when the relay refuses the recipient with 550", async () => {
    const smtp = await server({ rejectRcpt: 550 });
    const err = await sendError(notifier(smtp.url));
    expect(err).to.be.instanceOf(EmailRejectedError);
    expect(err).to.be.instanceOf(UnrecoverableJobError);
    expect(err).to.include({ retryable: false, smtpCode: 550 });
    expect((err as Error).message).to.include("No such user here");
    expect(smtp.received).to.be.empty;
  });

  it("gives up for good when the relay refuses the login with 535", async () => {
    const smtp = await server({ users: { alerts: "right" } });
    const err = await sendError(notifier(`smtp://alerts:wrong@127.0.0.1:${smtp.port}`));
    expect(err).to.be.instanceOf(EmailRejectedError);
    expect(err).to.include({ smtpCode: 535 });
  });

  it("asks for a retry when the relay answers 451", async () => {
    const smtp = await server({ rejectRcpt: 451 });
    const err = await sendError(notifier(smtp.url));
    expect(err).to.be.instanceOf(EmailUnavailableError);
    expect(err).not.to.be.instanceOf(UnrecoverableJobError);
    expect(err).to.include({ retryable: true, smtpCode: 451 });
  });

  it("asks for a retry when the relay closes the connection", async () => {
    const sockets = new Set<net.Socket>();
    const dropper = net.createServer((socket) => {
      sockets.add(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => dropper.close(() => resolve())));
    const { port } = dropper.address() as net.AddressInfo;

    const err = await sendError(notifier(`smtp://127.0.0.1:${port}`));
    expect(sockets.size).to.be.greaterThan(0);
    expect(err).to.be.instanceOf(EmailUnavailableError);
    expect(err).not.to.be.instanceOf(UnrecoverableJobError);
    expect(err).to.include({ retryable: true, smtpCode: undefined });
  });

  it("asks for a retry when nothing listens at the relay's address", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const err = await sendError(notifier(`smtp://127.0.0.1:${port}`));
    expect(err).to.be.instanceOf(EmailUnavailableError);
  });

  it("refuses a recipient address with a line break without connecting", async () => {
    const n = notifier("smtp://127.0.0.1:1");
    let err: unknown;
    await n.send({ to: "a@example.org\r\nRCPT TO:<b@example.org>", subject: "s", text: "t" }).catch((e) => {
      err = e;
    });
    expect(err).to.be.instanceOf(EmailRejectedError);
  });

  it("rejects a URL that is not smtp: or smtps:", () => {
    expect(() => new SmtpEmailNotifier({ url: "http://relay.example", from: FROM })).to.throw(
      /smtp: or smtps:/,
    );
  });
});

describe("classifySmtpError", () => {
  const withProps = (props: object) => Object.assign(new Error("boom"), props);

  it("treats 5xx replies as permanent, except 503", () => {
    expect(classifySmtpError(withProps({ responseCode: 554 }))).to.be.instanceOf(EmailRejectedError);
    expect(classifySmtpError(withProps({ responseCode: 503 }))).to.be.instanceOf(EmailUnavailableError);
  });

  it("treats 4xx replies and connection errors as transient", () => {
    expect(classifySmtpError(withProps({ responseCode: 421 }))).to.be.instanceOf(EmailUnavailableError);
    expect(classifySmtpError(withProps({ code: "ETIMEDOUT" }))).to.be.instanceOf(EmailUnavailableError);
    expect(classifySmtpError("not even an Error")).to.be.instanceOf(EmailUnavailableError);
  });

  it("treats an unusable envelope or configuration without a reply as permanent", () => {
    expect(classifySmtpError(withProps({ code: "EENVELOPE" }))).to.be.instanceOf(EmailRejectedError);
    expect(classifySmtpError(withProps({ code: "ECONFIG" }))).to.be.instanceOf(EmailRejectedError);
  });
});
