/**
 * Call jobs across a crash: the ring time-out of a queued call lives in BullMQ, so a homeserver
 * killed while it is pending does not lose it — the next process ends the call as missed,
 * exactly once. And missed calls and SMS reach the subscriber by e-mail through a real SMTP
 * server on loopback.
 */
import { expect } from "chai";
import pg from "pg";
import type { CallView } from "../protocol/callsign/calls.js";
import { ext, inboxOf, placeCall, subscriber } from "./helpers/calls.js";
import { parseMail, startSmtpServer, type SmtpFixture } from "./helpers/smtp-server.js";
import { TestNetwork } from "./helpers/test-network.js";
import { until } from "./helpers/wait.js";

describe("call jobs", function () {
  this.timeout(90_000);
  let net: TestNetwork;
  let smtp: SmtpFixture;
  before(async () => {
    smtp = await startSmtpServer();
    net = await TestNetwork.start({
      spawn: true,
      env: {
        CALLSIGN_RING_TIMEOUT_S: "3",
        CALLSIGN_SMTP_URL: smtp.url,
        CALLSIGN_MAIL_FROM: "Callsign <calls@localhost>",
      },
    });
  });
  after(async () => {
    await net?.close();
    await smtp?.close();
  });

  it("ends a call as missed exactly once after the homeserver is killed with the time-out pending", async () => {
    const callee = await subscriber(net.baseUrl, { online: true });
    const caller = await subscriber(net.baseUrl);
    const call = await placeCall(net.baseUrl, caller.access_token, {
      handle: callee.number,
      topic: "Are you there?",
    });
    expect(call.body.state).to.equal("queued");

    const first = net.servers[0]!;
    first.child!.kill("SIGKILL");
    await first.stop();
    const second = await net.addServer();

    const missed = await until("the missed call", async () => {
      const v = (
        await ext<CallView>(second.baseUrl, "GET", `/calls/${call.body.call_id}`, caller.access_token)
      ).body;
      return v.state === "missed" ? v : undefined;
    });
    expect(missed.ended_at).to.be.a("number");
    const inbox = await inboxOf(second.baseUrl, callee.access_token);
    expect(inbox.missed.map((m) => m.call_id)).to.deep.equal([call.body.call_id]);
    expect(inbox.unread.missed).to.equal(1);

    // Exactly once: one "missed" state event in the call's room.
    const db = new pg.Client({ connectionString: net.env.DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query(
        `SELECT count(*)::int AS n FROM events WHERE room_id = $1 AND type = 'io.callsign.call' AND content->>'state' = 'missed'`,
        [call.body.room_id],
      );
      expect(rows.rows[0].n).to.equal(1);
    } finally {
      await db.end();
    }

    // The callee hears of it by e-mail.
    const mail = await until("the missed-call e-mail", async () =>
      smtp.received.find((m) => m.rcptTo.includes(callee.email)),
    );
    const parsed = parseMail(mail.raw);
    expect(parsed.text).to.include("Are you there?");
    expect(mail.mailFrom).to.equal("calls@localhost");
  });

  it("e-mails an SMS left for an offline subscriber", async () => {
    const callee = await subscriber(net.baseUrl);
    const caller = await subscriber(net.baseUrl);
    const call = await placeCall(net.baseUrl, caller.access_token, {
      handle: callee.number,
      topic: "Delivery",
    });
    expect(call.body.state).to.equal("offline");
    await ext(net.baseUrl, "POST", `/calls/${call.body.call_id}/sms`, caller.access_token, {
      text: "Parcel at the door",
    });
    const mail = await until("the SMS e-mail", async () =>
      smtp.received.find((m) => m.rcptTo.includes(callee.email)),
    );
    const parsed = parseMail(mail.raw);
    expect(parsed.text).to.include("Parcel at the door");
    expect(parsed.text).to.include("Delivery");
  });
});
