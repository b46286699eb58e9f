import { expect } from "chai";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Sql } from "../../storage/database.js";
import type { EntityManager } from "typeorm";
import { DnsLookupError, type DnsAnswer, type DnsClient, type SrvRecord } from "../names/dns.js";
import { HandleResolver, type RemoteHandle } from "./handles.js";

/**
 * A DNS client whose answers wait until the test releases them (to see which questions are out
 * at once); questions asked after that are answered at once.
 */
function scriptedDns(answers: { txt: () => DnsAnswer<string>; srv: () => DnsAnswer<SrvRecord> }) {
  const asked: string[] = [];
  const waiting: (() => void)[] = [];
  let released = false;
  const later = <T>(name: string, answer: () => T) => {
    asked.push(name);
    return new Promise<T>((resolve, reject) => {
      const go = () => {
        try {
          resolve(answer());
        } catch (err) {
          reject(err);
        }
      };
      if (released) go();
      else waiting.push(go);
    });
  };
  const dns = {
    txt: (name: string) => later(name, answers.txt),
    srv: (name: string) => later(name, answers.srv),
  } as unknown as DnsClient;
  const release = () => {
    released = true;
    waiting.splice(0).forEach((go) => go());
  };
  return { dns, asked, release };
}

const txtNaming = (provider: string) => (): DnsAnswer<string> => ({
  found: true,
  records: [`v=callsign1 provider=${provider}`],
});
const srvFailure = (): DnsAnswer<SrvRecord> => {
  throw new DnsLookupError("ETIMEOUT", "_callsign._tcp.acme.test", "SRV");
};
const noTxt = (): DnsAnswer<string> => ({ found: false, reason: "NXDOMAIN" });
const aSrv = (): DnsAnswer<SrvRecord> => ({
  found: true,
  records: [{ priority: 0, weight: 0, port: 443, name: "hs.acme.test" }],
});

// Remote handles need no database: none is given.
const resolver = (dns: DnsClient) =>
  new HandleResolver(undefined as unknown as EntityManager, undefined as unknown as Sql, dns, "here.test");

describe("calls/handles: which provider hosts local@domain", function () {
  it("asks the TXT and SRV questions together, and takes the provider the TXT record names", async function () {
    const { dns, asked, release } = scriptedDns({ txt: txtNaming("there.test"), srv: srvFailure });
    const located = resolver(dns).locate("sales@acme.test");
    await new Promise((r) => setImmediate(r));
    expect(asked).to.have.members(["_callsign.acme.test", "_callsign._tcp.acme.test"]);
    release();
    // The SRV lookup failed, but its answer was not needed.
    expect(await located).to.deep.equal({
      remote: true,
      provider: "there.test",
      handle: "sales@acme.test",
    } satisfies RemoteHandle);
  });

  it("with no TXT record, takes the domain itself for a provider when it has the federation SRV record", async function () {
    const { dns, release } = scriptedDns({ txt: noTxt, srv: aSrv });
    const located = resolver(dns).locate("bob@acme.test");
    await new Promise((r) => setImmediate(r));
    release();
    expect(await located).to.deep.include({ remote: true, provider: "acme.test" });
  });

  it("with no TXT record and an SRV lookup that cannot tell, answers IO_CALLSIGN_DNS_FAILED", async function () {
    const { dns, release } = scriptedDns({ txt: noTxt, srv: srvFailure });
    const located = resolver(dns).locate("bob@acme.test");
    await new Promise((r) => setImmediate(r));
    release();
    const error = await located.then(
      () => expect.fail("resolved"),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ProtocolError);
    expect((error as ProtocolError).errcode).to.equal("IO_CALLSIGN_DNS_FAILED");
  });

  it("asks no SRV question for a bare domain", async function () {
    const { dns, asked, release } = scriptedDns({ txt: txtNaming("there.test"), srv: aSrv });
    const located = resolver(dns).locate("acme.test");
    await new Promise((r) => setImmediate(r));
    release();
    expect(await located).to.deep.include({ remote: true, provider: "there.test" });
    expect(asked).to.deep.equal(["_callsign.acme.test"]);
  });
});
