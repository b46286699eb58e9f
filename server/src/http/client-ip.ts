/**
 * The client's address for requests served without express, computed as express computes
 * `req.ip` with `trust proxy: "loopback"` (proxy-addr): from the socket's peer back through
 * `X-Forwarded-For`, the first address that is not a loopback proxy (or the last one given).
 */
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** A trusted proxy: a loopback address (IPv4-mapped IPv6 included, as proxy-addr has it). */
function trusted(address: string | undefined): boolean {
  const family = address === undefined ? 0 : isIP(address);
  return family !== 0 && loopback.check(address!, family === 4 ? "ipv4" : "ipv6");
}

export function clientIp(req: IncomingMessage): string | undefined {
  const peer = req.socket.remoteAddress;
  // node joins repeated X-Forwarded-For lines into one string.
  const header = req.headers["x-forwarded-for"];
  if (typeof header !== "string" || header === "" || !trusted(peer)) return peer;
  // Nearest first: the header lists the client first and each proxy after it.
  const forwarded = header
    .split(",")
    .map((a) => a.replace(/^ +| +$/g, ""))
    .filter((a) => a !== "")
    .reverse();
  const chain = [peer, ...forwarded];
  let i = 0;
  while (i < chain.length - 1 && trusted(chain[i])) i += 1;
  return chain[i];
}
