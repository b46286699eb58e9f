/**
 * The world that the bad-input tests (`test/api-input.test.ts`) hit: a test network; Alice, who
 * takes the barrage and owns a room with messages and state, account data, a profile and a
 * filter that must all survive it; Carol, whose throwaway sessions the session-ending routes get;
 * and a guest. It also resolves path parameters three ways: to things that do not exist, to
 * Alice's real ones, or to a scratch room of Alice's that a route may spoil.
 */
import { expect } from "chai";
import { CallsignPrefix } from "../../protocol/callsign/routes.js";
import { ClientPrefixes } from "../../protocol/matrix/routes.js";
import { rawRequest, type RawRequest, type RawResponse } from "./http.js";
import { registerUser, type TestUser } from "./matrix.js";
import { preview, runCases, type Case, type Violation } from "./route-cases.js";
import { TestNetwork } from "./test-network.js";

const V3 = ClientPrefixes[0];
const enc = encodeURIComponent;

export class InputFixture {
  // What Alice owns before the barrage; all of it must survive.
  roomId = "";
  readonly eventIds: string[] = [];
  readonly bodies: string[] = [];
  filterId = "";
  /** A call from Alice to Carol, for the extension API's call routes. */
  callId = "";
  /** A customer of Alice's, for the customer routes. */
  customerId = "";
  /** A service of that customer, for the service routes. */
  serviceId = "";
  /** An open invoice of that service, and its sandbox checkout token. */
  invoiceId = "";
  checkoutToken = "";
  /** A site widget of that service. */
  widgetId = "";
  readonly displayName = "Alice Input";
  readonly avatarUrl = "mxc://localhost/alice-avatar";
  readonly deviceId: string;
  readonly aliceToken: string;
  /** A room of Alice's per route (`def.path`), for `scratchParam`; filled by the test. */
  readonly scratchRooms = new Map<string, string>();
  private seq = 0;

  private constructor(
    private readonly net: TestNetwork,
    readonly alice: TestUser,
    readonly carol: TestUser,
    readonly guestToken: string,
  ) {
    this.aliceToken = alice.client.getAccessToken()!;
    this.deviceId = alice.client.getDeviceId()!;
  }

  /** Starts the network, registers the users and gives Alice what must survive. */
  static async start(): Promise<InputFixture> {
    // The barrage provokes server errors by design; their logs (found by the request ID in a
    // failure) are shown with TEST_LOG_LEVEL=error.
    const net = await TestNetwork.start({
      env: { CALLSIGN_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" },
    });
    try {
      const [alice, carol] = await Promise.all([registerUser(net.baseUrl), registerUser(net.baseUrl)]);
      const guest = await rawRequest(net.baseUrl, {
        method: "POST",
        path: `${V3}/register?kind=guest`,
        body: "{}",
      });
      expect(guest.status, guest.text).to.equal(200);
      const guestToken = (guest.json as { access_token: string }).access_token;
      const fixture = new InputFixture(net, alice, carol, guestToken);
      await fixture.seed();
      return fixture;
    } catch (err) {
      await net.close();
      throw err;
    }
  }

  private async seed(): Promise<void> {
    const { ok, alice } = this;
    const room = await ok({ method: "POST", path: `${V3}/createRoom`, body: '{"name":"Input tests"}' });
    this.roomId = room.room_id as string;
    const roomPath = `${V3}/rooms/${enc(this.roomId)}`;
    for (let i = 0; i < 3; i++) {
      const text = `before the barrage #${i}`;
      const sent = await ok({
        method: "PUT",
        path: `${roomPath}/send/m.room.message/setup-${i}`,
        body: JSON.stringify({ msgtype: "m.text", body: text }),
      });
      this.eventIds.push(sent.event_id as string);
      this.bodies.push(text);
    }
    const me = `${V3}/user/${enc(alice.userId)}`;
    await ok({ method: "PUT", path: `${roomPath}/state/io.callsign.test/probe`, body: '{"v":1}' });
    // The barrage writes (legal) junk under io.callsign.test; what must survive is io.callsign.keep.
    for (const type of ["io.callsign.test", "io.callsign.keep"]) {
      await ok({ method: "PUT", path: `${me}/account_data/${type}`, body: '{"v":1}' });
      await ok({
        method: "PUT",
        path: `${me}/rooms/${enc(this.roomId)}/account_data/${type}`,
        body: '{"v":1}',
      });
    }
    const profile = `${V3}/profile/${enc(alice.userId)}`;
    await ok({
      method: "PUT",
      path: `${profile}/displayname`,
      body: JSON.stringify({ displayname: this.displayName }),
    });
    await ok({
      method: "PUT",
      path: `${profile}/avatar_url`,
      body: JSON.stringify({ avatar_url: this.avatarUrl }),
    });
    const filter = await ok({
      method: "POST",
      path: `${me}/filter`,
      body: '{"room":{"timeline":{"limit":5}}}',
    });
    this.filterId = filter.filter_id as string;
    const call = await ok({
      method: "POST",
      path: `${CallsignPrefix}/calls`,
      body: JSON.stringify({ handle: this.carol.number, topic: "input tests" }),
    });
    this.callId = call.call_id as string;
    const customer = await ok({
      method: "POST",
      path: `${CallsignPrefix}/customers`,
      body: JSON.stringify({ name: "Input Ltd" }),
    });
    this.customerId = customer.customer_id as string;
    const service = await ok({
      method: "POST",
      path: `${CallsignPrefix}/customers/${enc(this.customerId)}/services`,
      body: JSON.stringify({ service_id: `inputdesk${Date.now() % 1_000_000}`, display_name: "Input desk" }),
    });
    this.serviceId = service.service_id as string;
    const invoice = await ok({
      method: "POST",
      path: `${CallsignPrefix}/services/${enc(this.serviceId)}/invoices`,
      body: "{}",
    });
    this.checkoutToken = (invoice.checkout_url as string).split("/").pop()!;
    this.invoiceId = invoice.invoice_id as string;
    const widget = await ok({
      method: "POST",
      path: `${CallsignPrefix}/customers/${enc(this.customerId)}/widgets`,
      body: JSON.stringify({ service_id: this.serviceId, origins: ["https://shop.example"] }),
    });
    this.widgetId = widget.widget_id as string;
    await ok({
      method: "PUT",
      path: `${CallsignPrefix}/services/${enc(this.serviceId)}/sip-trunk`,
      body: JSON.stringify({ uri: "sip:desk@pbx.example.test", mode: "instead" }),
    });
  }

  close(): Promise<void> {
    return this.net.close();
  }

  /** One raw request to the server. */
  readonly http = (req: RawRequest): Promise<RawResponse> => rawRequest(this.net.baseUrl, req);

  /** A request as Alice (unless `req.token` says otherwise) that must succeed; its JSON body. */
  readonly ok = async (req: RawRequest): Promise<Record<string, unknown>> => {
    const res = await this.http({ token: this.aliceToken, ...req });
    if (res.status < 200 || res.status > 299)
      expect.fail(`${req.method} ${preview(req.path, 120)} → ${res.status} ${preview(res.text, 200)}`);
    return res.json as Record<string, unknown>;
  };

  /** A new session of `user`: its access token. */
  async login(user: TestUser): Promise<string> {
    const res = await this.http({
      method: "POST",
      path: `${V3}/login`,
      body: JSON.stringify({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: user.userId },
        password: user.password,
      }),
    });
    expect(res.status, res.text).to.equal(200);
    return (res.json as { access_token: string }).access_token;
  }

  /** Sends every case; disposable sessions are fresh sessions of Carol's. */
  run(cases: Case[]): Promise<(Violation | undefined)[]> {
    return runCases(cases, this.http, () => this.login(this.carol));
  }

  /** A path parameter that names nothing that exists (a fresh one for `txnId`). */
  readonly nopeParam = (name: string): string => {
    switch (name) {
      case "roomId":
      case "roomIdOrAlias":
        return enc("!nope:localhost");
      case "userId":
        return enc("@999999999:localhost");
      case "eventId":
        return enc("$nope");
      case "filterId":
        return "999999";
      case "txnId":
        return `txn-${++this.seq}`;
      case "receiptType":
        return "m.read";
      case "stateKey":
        return "nope";
      default:
        return "io.callsign.nope";
    }
  };

  /** A path parameter that names Alice's real room, user, event or filter. */
  readonly realParam = (name: string): string => {
    switch (name) {
      case "roomId":
      case "roomIdOrAlias":
        return enc(this.roomId);
      case "userId":
        return enc(this.alice.userId);
      case "eventId":
        return enc(this.eventIds[0]!);
      case "filterId":
        return enc(this.filterId);
      case "callId":
        return enc(this.callId);
      case "customerId":
        return enc(this.customerId);
      case "serviceId":
        return enc(this.serviceId);
      case "token":
        return this.checkoutToken;
      case "invoiceId":
        return enc(this.invoiceId);
      case "widgetId":
        return enc(this.widgetId);
      case "provider":
        return "sandbox";
      case "handle":
        return enc(this.alice.number);
      case "name":
        return "inputprobe";
      case "stateKey":
        return "probe";
      case "eventType":
      case "type":
        return "io.callsign.test";
      default:
        return this.nopeParam(name);
    }
  };

  /**
   * Like `realParam`, but in a room of Alice's that the test may spoil, one per route so that
   * leaving one (legitimately, with `{"a":1}`) does not turn the sends of another into 403s.
   */
  readonly scratchParam =
    (route: string) =>
    (name: string): string =>
      name === "roomId" || name === "roomIdOrAlias"
        ? enc(this.scratchRooms.get(route)!)
        : this.realParam(name);
}
