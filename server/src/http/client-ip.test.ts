import { expect } from "chai";
import type { IncomingMessage } from "node:http";
import { clientIp } from "./client-ip.js";

const req = (remoteAddress: string | undefined, forwarded?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
  }) as unknown as IncomingMessage;

describe("clientIp (express's req.ip with trust proxy: loopback)", () => {
  it("is the peer unless a loopback proxy forwarded the request", () => {
    expect(clientIp(req("203.0.113.7"))).to.equal("203.0.113.7");
    expect(clientIp(req("203.0.113.7", "198.51.100.1"))).to.equal("203.0.113.7");
    expect(clientIp(req("127.0.0.1"))).to.equal("127.0.0.1");
    expect(clientIp(req(undefined))).to.equal(undefined);
  });

  it("walks X-Forwarded-For back from the nearest hop to the first address that is not loopback", () => {
    expect(clientIp(req("127.0.0.1", "198.51.100.1"))).to.equal("198.51.100.1");
    expect(clientIp(req("::1", "198.51.100.1"))).to.equal("198.51.100.1");
    expect(clientIp(req("::ffff:127.0.0.1", "198.51.100.1"))).to.equal("198.51.100.1");
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 127.0.0.5"))).to.equal("198.51.100.1");
    expect(clientIp(req("127.0.0.1", "198.51.100.1, 203.0.113.9"))).to.equal("203.0.113.9");
    expect(clientIp(req("127.0.0.1", "127.0.0.2, 127.0.0.3"))).to.equal("127.0.0.2");
    expect(clientIp(req("127.0.0.1", " 198.51.100.1 ,, "))).to.equal("198.51.100.1");
    expect(clientIp(req("127.0.0.1", "not-an-ip, 127.0.0.4"))).to.equal("not-an-ip");
    expect(clientIp(req("127.0.0.1", ""))).to.equal("127.0.0.1");
  });
});
