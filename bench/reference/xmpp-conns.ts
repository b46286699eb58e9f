/**
 * The connections of the Prosody reference (prosody.ts): accounts made by in-band registration
 * over one raw stream, logins with the lean client (./xmpp-client.ts) or @xmpp/client, the
 * bookkeeping of messages waiting to arrive, and opening and closing connections by the thousand.
 */
import net from "node:net";
// @ts-expect-error: @xmpp/client ships no type declarations; XmppModule below types what we use.
import * as xmppModule from "@xmpp/client";
import { XmppClient as LeanClient } from "./xmpp-client.js";

/** The password of every account the reference makes. */
export const PASSWORD = "bench-password";
/** How long one message may take to arrive before it counts as failed. */
export const MESSAGE_TIMEOUT_MS = 10_000;
/** Logins at a time when opening many connections (Prosody's listen backlog is 128). */
const LOGIN_BATCH = 50;

/** Which client makes the connections: the lean one (default) or @xmpp/client. */
export type ClientKind = "lean" | "xmpp.js";

/** What a connection needs of the server: where it listens, and its domain. */
export interface XmppServer {
  port: number;
  domain: string;
}

// --- Accounts (raw XMPP: @xmpp/client has no in-band registration) ---------------------------

/** Registers `usernames` (password PASSWORD) over one unauthenticated stream; existing ones are fine. */
export async function registerAccounts(server: XmppServer, usernames: string[]): Promise<void> {
  if (usernames.length === 0) return;
  const socket = net.connect(server.port, "127.0.0.1");
  socket.setEncoding("utf8");
  let buffer = "";
  let answered = 0;
  const errors: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`registering ${usernames.length} accounts: ${answered} answered in time`)),
        30_000 + usernames.length * 10,
      );
      socket.on("error", reject);
      socket.on("close", () => reject(new Error("Prosody closed the registration stream")));
      let opened = false;
      socket.on("data", (chunk: string) => {
        buffer += chunk;
        if (!opened) {
          if (!buffer.includes("</stream:features>")) return;
          opened = true;
          buffer = "";
          socket.write(
            usernames
              .map(
                (u, i) =>
                  `<iq type='set' id='r${i}'><query xmlns='jabber:iq:register'>` +
                  `<username>${u}</username><password>${PASSWORD}</password></query></iq>`,
              )
              .join(""),
          );
          return;
        }
        // Answers are <iq type='result' id='rN'/> or <iq type='error' id='rN'>…</iq>.
        for (;;) {
          const start = buffer.indexOf("<iq");
          if (start < 0) break;
          const tagEnd = buffer.indexOf(">", start);
          if (tagEnd < 0) break;
          const tag = buffer.slice(start, tagEnd + 1);
          let end = tagEnd + 1;
          if (!tag.endsWith("/>")) {
            const close = buffer.indexOf("</iq>", tagEnd);
            if (close < 0) break;
            end = close + 5;
          }
          const stanza = buffer.slice(start, end);
          buffer = buffer.slice(end);
          answered++;
          if (/type=['"]error['"]/.test(tag) && !stanza.includes("<conflict")) errors.push(stanza);
        }
        if (answered >= usernames.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.write(
        `<?xml version='1.0'?><stream:stream to='${server.domain}' xmlns='jabber:client' ` +
          `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
      );
    });
  } finally {
    socket.removeAllListeners("close");
    socket.on("error", () => {});
    socket.end("</stream:stream>");
  }
  if (errors.length) throw new Error(`Prosody refused ${errors.length} registrations: ${errors[0]}`);
}

export const names = (prefix: string, from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => `${prefix}${from + i}`);

// --- The clients ---------------------------------------------------------------------------

/** The part of @xmpp/client used here. */
interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XmlElement | string)[];
  getChildText(name: string): string | null;
}
interface XmppClient {
  reconnect: { stop(): void };
  status: string;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: XmlElement): Promise<void>;
  on(event: "stanza", listener: (el: XmlElement) => void): void;
  on(event: "error", listener: (err: Error) => void): void;
  on(event: "connect", listener: () => void): void;
  prependListener(event: "element", listener: (el: XmlElement) => void): void;
  socket?: { destroy(): void; setNoDelay(on: boolean): void };
}
interface XmppModule {
  client(options: {
    service: string;
    domain: string;
    resource: string;
    credentials: (
      authenticate: (c: { username: string; password: string }, mechanism: string) => Promise<void>,
    ) => Promise<void>;
  }): XmppClient;
  xml(name: string, attrs?: Record<string, string>, ...children: (XmlElement | string)[]): XmlElement;
}
const { client, xml } = xmppModule as XmppModule;

/** A logged-in connection, available (initial presence sent and echoed back). */
export interface Conn {
  jid: string;
  /** Sends a chat message whose body is `body`. */
  message(to: string, body: string): void;
  /** The error that broke the connection, if one has. */
  error(): Error | undefined;
  close(): Promise<void>;
}

/** Logs in as `username`/`resource` with SASL PLAIN, sends initial presence and waits for its echo. */
export async function login(
  server: XmppServer,
  kind: ClientKind,
  username: string,
  resource: string,
  onBody?: (body: string) => void,
): Promise<Conn> {
  if (kind === "xmpp.js") return loginXmppJs(server, username, resource, onBody);
  try {
    const c = await LeanClient.login({
      port: server.port,
      domain: server.domain,
      username,
      password: PASSWORD,
      resource,
      ...(onBody && { onBody }),
    });
    return {
      jid: c.jid,
      message: (to, body) => c.message(to, body),
      error: () => c.error,
      close: () => c.close(),
    };
  } catch (err) {
    throw new Error(`${username} could not log in: ${(err as Error).message}`, { cause: err });
  }
}

/** The same with @xmpp/client. */
async function loginXmppJs(
  server: XmppServer,
  username: string,
  resource: string,
  onBody?: (body: string) => void,
): Promise<Conn> {
  const jid = `${username}@${server.domain}/${resource}`;
  const x = client({
    service: `xmpp://127.0.0.1:${server.port}`,
    domain: server.domain,
    resource,
    // @xmpp/client avoids PLAIN on a stream without TLS; over loopback we want it.
    credentials: (authenticate) => authenticate({ username, password: PASSWORD }, "PLAIN"),
  });
  x.reconnect.stop();
  // @xmpp/client enables stream management (XEP-0198) whenever offered, and under this load its acks
  // went wrong (Prosody closed streams: "Client acknowledged less stanzas than already
  // acknowledged"); the lean client does not enable it either. So it does not see the offer.
  x.prependListener("element", (el) => {
    if (el.name === "stream:features")
      el.children = el.children.filter((c) => typeof c === "string" || c.name !== "sm");
  });
  // Node's sockets keep Nagle on by default; Prosody's side has it off (network_settings).
  x.on("connect", () => x.socket?.setNoDelay(true));
  let failure: Error | undefined;
  let presence: (() => void) | undefined;
  x.on("error", (err) => (failure ??= err));
  x.on("stanza", (el) => {
    if (el.name === "message") {
      const body = el.getChildText("body");
      if (body !== null) onBody?.(body);
    } else if (el.name === "presence" && el.attrs.from === jid) presence?.();
  });
  const close = async () => {
    if (x.status === "offline" || x.status === "disconnect") return;
    await withTimeout(x.stop(), 5_000).catch(() => x.socket?.destroy());
  };
  try {
    await withTimeout(x.start(), 20_000);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        presence = resolve;
        x.send(xml("presence")).catch(reject);
      }),
      10_000,
    );
  } catch (err) {
    await close().catch(() => {});
    throw new Error(`${username} could not log in: ${(failure ?? (err as Error)).message}`, { cause: err });
  }
  return {
    jid,
    message: (to, body) => {
      x.send(xml("message", { to, type: "chat" }, xml("body", {}, body))).catch(
        (err: Error) => (failure ??= err),
      );
    },
    error: () => failure,
    close,
  };
}

// --- Helpers -----------------------------------------------------------------------------------

export interface Pending {
  resolve: (at: number) => void;
  reject: (err: Error) => void;
  deadline: number;
  /** The index of the connection it is for. */
  receiver: number;
}

/** A message (its body, its id) reached connection `receiver`: settles the sender's wait. */
export function arrived(pending: Map<string, Pending>, body: string, receiver: number): void {
  const p = pending.get(body);
  if (!p) return;
  pending.delete(body);
  if (p.receiver === receiver) p.resolve(performance.now());
  else p.reject(new Error(`message ${body} reached connection ${receiver}, not ${p.receiver}`));
}

/** Fails messages that have waited past their deadline. */
export function expire(pending: Map<string, Pending>): void {
  const now = performance.now();
  for (const [id, p] of pending) {
    if (p.deadline > now) continue;
    pending.delete(id);
    p.reject(new Error(`message ${id} did not arrive within ${MESSAGE_TIMEOUT_MS} ms`));
  }
}

/**
 * Opens `count` connections, LOGIN_BATCH at a time so Prosody's accept queue is not flooded;
 * each one opened joins `opened` (for the caller to close, even when a later one fails).
 * Answers them in order; throws the first failure once its batch has settled.
 */
export async function openAll(
  opened: Conn[],
  count: number,
  open: (i: number) => Promise<Conn>,
): Promise<Conn[]> {
  const out: Conn[] = [];
  for (let i = 0; i < count; i += LOGIN_BATCH) {
    const batch = Array.from({ length: Math.min(LOGIN_BATCH, count - i) }, (_, j) =>
      open(i + j).then((c) => (opened.push(c), c)),
    );
    const settled = await Promise.allSettled(batch);
    const failure = settled.find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
    out.push(...settled.map((r) => (r as PromiseFulfilledResult<Conn>).value));
  }
  return out;
}

/** Closes connections, a few hundred at a time. */
export async function closeAll(conns: Conn[]): Promise<void> {
  for (let i = 0; i < conns.length; i += 200) {
    await Promise.all(conns.slice(i, i + 200).map((c) => c.close().catch(() => {})));
  }
  conns.length = 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
