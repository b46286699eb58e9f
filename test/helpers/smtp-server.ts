/**
 * Test helper: a real SMTP server (the `smtp-server` package) on 127.0.0.1 with a free port,
 * which records what it accepts and can be told to refuse recipients with a given reply, and a
 * minimal RFC 5322 reader for what nodemailer sends (unfolded headers, encoded-word subjects,
 * quoted-printable or base64 bodies) — enough to compare texts, not a general MIME parser.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  /** The authenticated user name, when the client logged in. */
  user: string | undefined;
  raw: string;
}

export interface SmtpFixture {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface SmtpFixtureOptions {
  /** Refuse every RCPT TO with this reply code (e.g. 550, 451). */
  rejectRcpt?: number;
  /** Accepted logins: user → password. Without it any login is accepted. */
  users?: Record<string, string>;
}

export async function startSmtpServer(opts: SmtpFixtureOptions = {}): Promise<SmtpFixture> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (opts.users && opts.users[auth.username ?? ""] !== auth.password) {
        return callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      if (opts.rejectRcpt === undefined) return callback();
      const text = opts.rejectRcpt >= 500 ? "No such user here" : "Try again later";
      callback(Object.assign(new Error(text), { responseCode: opts.rejectRcpt }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          raw: Buffer.concat(chunks).toString("latin1"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ParsedMail {
  /** Lower-cased header name → decoded value (the last one when repeated). */
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** RFC 2047 encoded words; adjacent ones are joined before decoding so split characters survive. */
function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)(\s+=\?[^?]+\?[QqBb]\?[^?]*\?=)*/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g)].map(([, enc, data]) =>
      enc!.toUpperCase() === "B"
        ? Buffer.from(data!, "base64")
        : Buffer.from(
            data!
              .replace(/_/g, " ")
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ),
    );
    return Buffer.concat(bytes).toString("utf8");
  });
}

/** Reads a single-part text message as nodemailer writes it. */
export function parseMail(raw: string): ParsedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  let bytes: Buffer;
  if (encoding === "base64") bytes = Buffer.from(body, "base64");
  else if (encoding === "quoted-printable") {
    const unwrapped = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    bytes = Buffer.from(unwrapped, "latin1");
  } else bytes = Buffer.from(body, "latin1");
  return {
    headers,
    subject: headers.get("subject") ?? "",
    text: bytes.toString("utf8").replace(/\r\n/g, "\n"),
  };
}
