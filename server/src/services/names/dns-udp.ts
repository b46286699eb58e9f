/**
 * UDP sockets to one DNS server, shared by the queries in flight to it. A socket per query costs
 * Node several times the CPU of the query itself (c-ares, under `dns.Resolver`, keeps one socket
 * for everything); one socket forever would fix the source port, leaving a spoofer only the
 * 16-bit ID to guess. So a socket carries `QUERIES_PER_SOCKET` queries, each with a random ID
 * free on it, and then a fresh socket — a new random source port — takes over; the old one
 * closes when its last query is done. The socket is connected: it takes datagrams from the
 * server only, and reports the server's ICMP errors, which fail every query waiting on it.
 */
import { randomInt } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";

/** Queries a socket carries before a fresh one (a new source port) takes over. */
export const QUERIES_PER_SOCKET = 100;

export interface UdpWaiter {
  /** Called with each datagram that carries the query's ID; true: it was the answer. */
  reply(buf: Buffer): boolean;
  fail(error: NodeJS.ErrnoException): void;
}

export class UdpSockets {
  private current: UdpSocket | undefined;
  private readonly open = new Set<UdpSocket>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly family: 4 | 6,
  ) {}

  /**
   * Sends `query(id)` with an ID no other query on the socket has, and hands the datagrams
   * carrying that ID to `waiter` until it takes one; returns the function that stops waiting.
   */
  send(query: (id: number) => Buffer, waiter: UdpWaiter): () => void {
    if (!this.current?.usable) {
      this.current = new UdpSocket(this.host, this.port, this.family, (s) => this.open.delete(s));
      this.open.add(this.current);
    }
    return this.current.send(query, waiter);
  }

  close(): void {
    for (const socket of [...this.open]) socket.close();
  }
}

class UdpSocket {
  private sent = 0;
  private closed = false;
  private readonly waiters = new Map<number, UdpWaiter>();
  private readonly socket: Socket;
  private readonly connected: Promise<void>;

  constructor(
    host: string,
    port: number,
    family: 4 | 6,
    private readonly onClose: (s: UdpSocket) => void,
  ) {
    this.socket = createSocket(family === 6 ? "udp6" : "udp4");
    // Queries in flight keep the process alive through their timers; an idle socket must not.
    this.socket.unref();
    this.socket.on("message", (buf) => {
      if (buf.length < 2) return;
      const id = buf.readUInt16BE(0);
      if (this.waiters.get(id)?.reply(buf)) this.release(id);
    });
    this.socket.on("error", (err) => {
      for (const waiter of [...this.waiters.values()]) waiter.fail(err);
      this.close();
    });
    this.connected = new Promise((resolve) => this.socket.connect(port, host, resolve));
  }

  get usable(): boolean {
    return !this.closed && this.sent < QUERIES_PER_SOCKET;
  }

  send(query: (id: number) => Buffer, waiter: UdpWaiter): () => void {
    let id: number;
    do id = randomInt(0x10000);
    while (this.waiters.has(id));
    this.waiters.set(id, waiter);
    this.sent++;
    const datagram = query(id);
    void this.connected.then(() => {
      if (this.waiters.get(id) !== waiter) return;
      this.socket.send(datagram, (err) => {
        if (err) waiter.fail(err);
      });
    });
    return () => this.release(id);
  }

  private release(id: number): void {
    this.waiters.delete(id);
    if (this.waiters.size === 0 && !this.usable) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiters.clear();
    try {
      this.socket.close();
    } catch {
      // never bound, or closed already
    }
    this.onClose(this);
  }
}
