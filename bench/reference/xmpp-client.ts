/**
 * A lean XMPP client over node:net for load against Prosody on loopback: stream open, SASL PLAIN
 * (no TLS), resource binding, initial presence, chat messages out and in, and answers to the
 * server's requests. It parses only what it needs (top-level elements by tag depth, a message's
 * <body>), so it costs about half the CPU per message of @xmpp/client (whose XML tree and
 * middleware per stanza took 30–45 µs a message here, against 10–25 µs), leaving more of a small
 * machine to the server it measures.
 */
import net from "node:net";

export interface LoginOptions {
  port: number;
  domain: string;
  username: string;
  password: string;
  resource: string;
  /** Called with each chat message's body (XML entities decoded). */
  onBody?: (body: string) => void;
  timeoutMs?: number;
}

const STREAM_HEADER = (domain: string) =>
  `<?xml version='1.0'?><stream:stream to='${escape(domain)}' xmlns='jabber:client' ` +
  `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;

/** A logged-in, available XMPP session on one TCP connection to 127.0.0.1. */
export class XmppClient {
  /** The full JID bound. */
  jid = "";
  private readonly socket: net.Socket;
  private readonly reader = new StanzaReader();
  /** The stanza a login step waits for (first match wins), or undefined once logged in. */
  private waiter: { match: (s: string) => boolean; resolve: (s: string) => void } | undefined;
  private failure: Error | undefined;
  private onFailure: ((err: Error) => void) | undefined;
  private closed = false;

  private constructor(
    socket: net.Socket,
    private readonly onBody?: (body: string) => void,
  ) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.setNoDelay(true);
    socket.on("data", (chunk: string) => {
      try {
        for (const stanza of this.reader.push(chunk)) this.stanza(stanza);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => {
      this.closed = true;
      this.fail(new Error("connection closed"));
    });
  }

  /** Connects, authenticates with PLAIN, binds `resource`, sends initial presence and waits for its echo. */
  static async login(opts: LoginOptions): Promise<XmppClient> {
    const socket = net.connect(opts.port, "127.0.0.1");
    const c = new XmppClient(socket, opts.onBody);
    const timer = setTimeout(() => socket.destroy(new Error("login timed out")), opts.timeoutMs ?? 20_000);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("error", reject);
      });
      socket.write(STREAM_HEADER(opts.domain));
      await c.expect((s) => s.startsWith("<stream:features"));
      const token = Buffer.from(`\0${opts.username}\0${opts.password}`).toString("base64");
      socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${token}</auth>`);
      const auth = await c.expect((s) => s.startsWith("<success") || s.startsWith("<failure"));
      if (auth.startsWith("<failure")) throw new Error(`SASL PLAIN refused: ${auth}`);
      // A new stream after SASL (RFC 6120 §6.4.6).
      c.reader.reset();
      socket.write(STREAM_HEADER(opts.domain));
      await c.expect((s) => s.startsWith("<stream:features"));
      socket.write(
        `<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` +
          `<resource>${escape(opts.resource)}</resource></bind></iq>`,
      );
      const bound = await c.expect((s) => s.startsWith("<iq") && attr(s, "id") === "bind");
      const jid = /<jid>([^<]+)<\/jid>/.exec(bound)?.[1];
      if (attr(bound, "type") !== "result" || !jid) throw new Error(`bind refused: ${bound}`);
      c.jid = unescape(jid);
      socket.write("<presence/>");
      // The server sends the user's presence to all its available resources, this one too.
      await c.expect((s) => s.startsWith("<presence") && unescape(attr(s, "from") ?? "") === c.jid);
      return c;
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a chat message; a failure to write shows as this client's failure. */
  message(to: string, body: string): void {
    this.socket.write(`<message to='${escape(to)}' type='chat'><body>${escape(body)}</body></message>`);
  }

  /** The first error this connection met (it is closed or unusable then), if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Closes the stream, waits (at most `timeoutMs`) for the server to close it, then the socket. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.socket.once("close", () => resolve()));
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    this.socket.end("</stream:stream>");
    await closed;
    clearTimeout(timer);
  }

  private expect(match: (s: string) => boolean): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { match, resolve };
      this.onFailure = reject;
    });
  }

  private stanza(s: string): void {
    const w = this.waiter;
    if (w?.match(s)) {
      this.waiter = undefined;
      this.onFailure = undefined;
      w.resolve(s);
    } else if (s.startsWith("<message")) {
      const body = /<body(?:\s[^>]*)?>([^<]*)<\/body>/.exec(s)?.[1];
      if (body !== undefined) this.onBody?.(unescape(body));
    } else if (s.startsWith("<iq")) {
      this.iq(s);
    } else if (s.startsWith("<stream:error")) {
      this.fail(new Error(`stream error: ${s}`));
    }
  }

  /** Answers a request from the server: pong to a ping (XEP-0199), an error to anything else. */
  private iq(s: string): void {
    const type = attr(s, "type");
    if (type !== "get" && type !== "set") return;
    const id = attr(s, "id") ?? "";
    const from = attr(s, "from");
    const to = from === undefined ? "" : ` to='${from}'`;
    if (s.includes("urn:xmpp:ping")) {
      this.socket.write(`<iq type='result' id='${id}'${to}/>`);
    } else {
      this.socket.write(
        `<iq type='error' id='${id}'${to}><error type='cancel'>` +
          `<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
      );
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const reject = this.onFailure;
    this.waiter = undefined;
    this.onFailure = undefined;
    reject?.(err);
  }
}

/**
 * Splits an XMPP stream into its top-level elements (stanzas, features, SASL answers), as
 * strings: tracks tag depth below the <stream:stream> header, quotes in attributes respected.
 */
class StanzaReader {
  private buffer = "";
  /** Where scanning resumes in `buffer`. */
  private pos = 0;
  /** Depth inside the stream: 0 before the header, 1 between stanzas. */
  private depth = 0;
  /** Where the current top-level element starts. */
  private start = -1;

  reset(): void {
    this.buffer = "";
    this.pos = 0;
    this.depth = 0;
    this.start = -1;
  }

  /** Adds data; answers the top-level elements it completed. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    const b = this.buffer;
    for (;;) {
      const lt = b.indexOf("<", this.pos);
      if (lt < 0) break;
      const gt = tagEnd(b, lt);
      if (gt < 0) break;
      this.pos = gt + 1;
      const second = b.charCodeAt(lt + 1);
      if (second === 63 /* ? */ || second === 33 /* ! */) continue; // <?xml …?>, comments
      if (second === 47 /* / */) {
        this.depth--;
        if (this.depth === 0) throw new Error("the server closed the stream");
        if (this.depth === 1) {
          out.push(b.slice(this.start, gt + 1));
          this.start = -1;
        }
      } else if (this.depth === 0) {
        if (!b.startsWith("<stream:stream", lt))
          throw new Error(`not an XMPP stream: ${b.slice(lt, gt + 1)}`);
        this.depth = 1;
      } else {
        if (this.depth === 1) this.start = lt;
        if (b.charCodeAt(gt - 1) === 47 /* / */) {
          if (this.depth === 1) {
            out.push(b.slice(lt, gt + 1));
            this.start = -1;
          }
        } else {
          this.depth++;
        }
      }
    }
    // Keep only what an unfinished element still needs.
    const keep = this.start >= 0 ? this.start : this.pos;
    this.buffer = b.slice(keep);
    this.pos -= keep;
    if (this.start >= 0) this.start = 0;
    return out;
  }
}

/** The index of the ">" ending the tag that starts at `lt` (quotes respected), or -1 if not yet read. */
function tagEnd(b: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return i;
    }
  }
  return -1;
}

/** An attribute of a stanza's opening tag, as written (entities not decoded). */
function attr(stanza: string, name: string): string | undefined {
  const tag = stanza.slice(0, tagEnd(stanza, 0) + 1);
  return new RegExp(`\\s${name}=(?:'([^']*)'|"([^"]*)")`)
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "'": "&apos;",
  '"': "&quot;",
};
const escape = (s: string) => s.replace(/[&<>'"]/g, (c) => ESCAPES[c]!);

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", apos: "'", quot: '"' };
function unescape(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? m),
  );
}
