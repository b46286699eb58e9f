/**
 * The one application context: built from the configuration, passed to every route and job,
 * closed in reverse order on shutdown. No module keeps state of its own.
 */
import { createHmac } from "node:crypto";
import { pino, type Logger } from "pino";
import type { Config } from "./config/config.js";
import { Metrics } from "./http/metrics.js";
import { RateLimiter } from "./http/rate-limit.js";
import { createJobEngine } from "./jobs/index.js";
import { SqlJobStore } from "./jobs/sql-job-store.js";
import type { JobEngine } from "./jobs/types.js";
import { AccountDataService } from "./services/account-data.js";
import { AccountService } from "./services/accounts.js";
import { CaptchaService } from "./services/captcha.js";
import { Notifier } from "./services/notifier.js";
import { ReceiptService } from "./services/receipts.js";
import { RoomReader } from "./services/rooms/room-reader.js";
import { RoomService } from "./services/rooms/room-service.js";
import { StreamWriter } from "./services/stream-writer.js";
import { SyncService } from "./services/sync.js";
import { ToDeviceService } from "./services/to-device.js";
import { TurnService } from "./services/turn.js";
import { TypingService } from "./services/typing.js";
import { CallAdmission } from "./services/calls/admission.js";
import { CallService } from "./services/calls/call-service.js";
import { HandleService } from "./services/calls/handle-service.js";
import { HandleResolver } from "./services/calls/handles.js";
import { InboxService } from "./services/calls/inbox-service.js";
import { PresenceService } from "./services/calls/presence.js";
import { TagService } from "./services/calls/tag-service.js";
import { createEmailNotifier } from "./services/notify/index.js";
import { BrandDetector } from "./services/names/brands.js";
import { createDnsClient, type DnsClient } from "./services/names/dns.js";
import { registerDnsMetrics } from "./services/names/dns-metrics.js";
import { NameService } from "./services/names/name-service.js";
import { NameClaims } from "./services/names/name-claims.js";
import { DomainService } from "./services/names/domain-service.js";
import { Directory } from "./services/names/directory.js";
import { CustomerService } from "./services/customers/customer-service.js";
import { CallMachine } from "./services/calls/call-machine.js";
import { CallTransfer } from "./services/calls/call-transfer.js";
import { ServiceDesk } from "./services/webcam/desk.js";
import { Distributor } from "./services/webcam/distribution.js";
import { WidgetService } from "./services/webcam/widgets.js";
import { ServiceTransfers } from "./services/webcam/service-transfers.js";
import { ServiceSettings } from "./services/webcam/service-settings.js";
import { KeyStore } from "../../federation/src/identity/keystore.js";
import { PeerDirectory } from "../../federation/src/discovery/peers.js";
import { FederationClient } from "../../federation/src/outbound/client.js";
import { FederationDelivery } from "../../federation/src/outbound/delivery.js";
import { InboundItems } from "../../federation/src/inbound/items.js";
import { HostedCalls } from "../../federation/src/calls/host-side.js";
import { openMedia } from "./media/open-media.js";
import { loadSecret } from "./config/secret.js";
import type { JanusPool } from "./media/janus/pool.js";
import type { MediaService } from "./media/media-service.js";
import type { SipTrunks } from "./services/webcam/sip-trunks.js";
import type { PbxLines } from "./media/pbx-lines.js";
import { CallTimers } from "./services/calls/call-timers.js";
import { CallMembers } from "./services/calls/call-members.js";
import { Operators } from "./services/webcam/operators.js";
import { ServiceRegistry } from "./services/webcam/service-registry.js";
import { nameRules } from "./services/names/rules.js";
import { SandboxPaymentProvider } from "./services/payments/sandbox.js";
import { Plans } from "./services/billing/plans.js";
import { SubscriptionService } from "./services/billing/subscriptions.js";
import { InvoiceService } from "./services/billing/invoices.js";
import type { EmailNotifier } from "./services/notify/email.js";
import { UiaService } from "./services/uia.js";
import { openDatabase, type Database } from "./storage/database.js";
import { FiltersRepo } from "./storage/repositories/user-streams.js";

export interface AppContext {
  config: Config;
  /** The URL clients use; defaults to the listen address once it is known. */
  baseUrl: string;
  logger: Logger;
  db: Database;
  jobs: JobEngine;
  notifier: Notifier;
  /** Every write clients see through `/sync` (and every write that queues federation items). */
  writer: StreamWriter;
  metrics: Metrics;
  limits: {
    requests: RateLimiter;
    auth: RateLimiter;
    guestCallsPerIp: RateLimiter;
    guestCallsPerTarget: RateLimiter;
  };
  accounts: AccountService;
  rooms: RoomService;
  reader: RoomReader;
  sync: SyncService;
  toDevice: ToDeviceService;
  accountData: AccountDataService;
  receipts: ReceiptService;
  typing: TypingService;
  presence: PresenceService;
  handles: HandleService;
  calls: CallService;
  inbox: InboxService;
  tags: TagService;
  email: EmailNotifier;
  dns: DnsClient;
  names: NameService;
  nameClaims: NameClaims;
  domains: DomainService;
  directory: Directory;
  customers: CustomerService;
  services: ServiceRegistry;
  operators: Operators;
  transfers: CallTransfer;
  distributor: Distributor;
  widgets: WidgetService;
  serviceTransfers: ServiceTransfers;
  serviceSettings: ServiceSettings;
  serverKeys: KeyStore;
  peers: PeerDirectory;
  federation: FederationClient;
  /** Items queued for peer providers, sent once and in order (spec/federation-delivery.md). */
  delivery: FederationDelivery;
  /** Handlers of the item kinds peers send (register one per kind at start). */
  inboundItems: InboundItems;
  /** Calls hosted here for other providers' users. */
  hostedCalls: HostedCalls;
  callTimers: CallTimers;
  /** Call media through the Janus pool (spec/media.md). */
  media: MediaService;
  /** The media gateways, when configured. */
  janus: JanusPool | undefined;
  sipTrunks: SipTrunks;
  /** The PBX lines this process registers (with a media gateway only). */
  pbxLines: PbxLines | undefined;
  plans: Plans;
  subscriptions: SubscriptionService;
  invoices: InvoiceService;
  payments: SandboxPaymentProvider;
  filters: FiltersRepo;
  captcha: CaptchaService;
  turn: TurnService;
}

/** The server secret: configured, or kept in the data directory for embedded deployments. */

export async function createContext(config: Config, baseUrl: string, logger?: Logger): Promise<AppContext> {
  const log = logger ?? pino({ level: config.logLevel, base: { server: config.serverName } });
  const secret = await loadSecret(config);
  const db = await openDatabase({ ...config.database, dataDir: config.dataDir, logger: log });
  const notifier = new Notifier(config.redis.url, config.redis.prefix, log);
  let jobs: JobEngine | undefined;
  try {
    await notifier.start();
    jobs = createJobEngine({
      redisUrl: config.redis.url,
      prefix: config.redis.prefix,
      store: new SqlJobStore(db),
      logger: log,
    });
  } catch (err) {
    await notifier.close();
    await db.close();
    throw err;
  }
  const writer = new StreamWriter(db, notifier, log);
  const captcha = new CaptchaService(secret, db);
  const perSecond = config.rateLimit.perSecond / 1000;
  const perMinute = (n: number) => new RateLimiter(n / 60_000, n);
  const limits = {
    requests: new RateLimiter(perSecond, config.rateLimit.burst),
    auth: perMinute(config.rateLimit.authPerMinute),
    guestCallsPerIp: perMinute(config.calls.guestCallsPerMinute),
    guestCallsPerTarget: perMinute(config.calls.guestCallsPerTargetPerMinute),
  };
  const rooms = new RoomService(writer, config.serverName);
  const accounts = new AccountService(db, new UiaService(db, captcha), {
    serverName: config.serverName,
    publicBaseUrl: baseUrl,
    passwordCost: config.passwordCost,
    guestCaptcha: config.guestCaptcha,
  });
  const presence = new PresenceService(db, config.syncTimeoutMaxMs + config.calls.presenceGraceMs);
  const dns = createDnsClient(config.dnsServers);
  const handleResolver = new HandleResolver(db.dataSource.manager, db, dns, config.serverName);
  const plans = new Plans(config.billing);
  const desk = new ServiceDesk(presence, plans, db.dataSource.manager);
  const members = new CallMembers(rooms);
  const distributor = new Distributor(writer, desk, members, jobs, log);
  const machine = new CallMachine(writer, rooms, desk, members, distributor, jobs, log);
  const calls = new CallService(
    machine,
    handleResolver,
    new CallAdmission(writer, captcha, {
      perIp: limits.guestCallsPerIp,
      perTarget: limits.guestCallsPerTarget,
    }),
    config.calls,
  );
  const brands = new BrandDetector(
    (domain) => dns.exists(domain),
    config.names.brandTlds,
    await BrandDetector.loadTrademarks(config.names.trademarksFile, (mark) => nameRules.parse(mark).skeleton),
    (name) => nameRules.parse(name).skeleton,
  );
  const payments = new SandboxPaymentProvider(
    config.billing.webhookSecret ??
      createHmac("sha256", secret).update("payment-webhook").digest("base64url"),
    baseUrl,
  );
  const subscriptions = new SubscriptionService(db, plans, jobs, config.billing);
  const serverKeys = new KeyStore(db, config.serverName, secret);
  const peers = new PeerDirectory({
    dns: createDnsClient(config.dnsServers, { maxEntries: 0 }),
    plainHttp: config.federation.plainHttp,
    block: config.federation.block,
    allow: config.federation.allow,
  });
  const federation = new FederationClient(serverKeys, peers);
  const names = new NameService(db, nameRules, brands, payments, jobs, config.names);
  accounts.useNames(names);
  const customers = new CustomerService(db, handleResolver);
  const services = new ServiceRegistry(db, customers, names, desk, subscriptions, config.serverName);
  names.useHolderAccess(services.actsFor);
  const { janus, media, sipTrunks, pbxLines } = await openMedia({
    config,
    db,
    writer,
    rooms,
    machine,
    calls,
    services,
    secret,
    log,
  });
  const domains = new DomainService(
    db,
    createDnsClient(config.dnsServers, { maxEntries: 0 }),
    jobs,
    config.domains,
    dns,
  );
  const metrics = new Metrics(() => notifier.waiting);
  registerDnsMetrics(metrics.registry, dns);
  return {
    config,
    baseUrl,
    logger: log,
    db,
    jobs,
    notifier,
    writer,
    metrics,
    limits,
    accounts,
    dns,
    names,
    nameClaims: new NameClaims(db, nameRules, names.moves, jobs, config.names),
    domains,
    directory: new Directory(db),
    customers,
    services,
    operators: new Operators(db, writer, members, presence, services, desk, distributor, notifier, jobs),
    distributor,
    widgets: new WidgetService(db, customers, desk, notifier, baseUrl),
    serviceTransfers: new ServiceTransfers(db, customers, handleResolver),
    serviceSettings: new ServiceSettings(db, desk, services, subscriptions, plans),
    serverKeys,
    peers,
    federation,
    delivery: new FederationDelivery({
      db,
      jobs,
      peers,
      federation,
      logger: log,
      serverName: config.serverName,
      backoff: { baseMs: config.federation.retryBaseMs, maxMs: config.federation.retryMaxMs },
    }),
    inboundItems: new InboundItems(writer),
    hostedCalls: new HostedCalls(writer, calls, rooms, config.serverName),
    callTimers: new CallTimers(machine, config.calls),
    media,
    janus,
    sipTrunks,
    pbxLines,
    transfers: new CallTransfer(machine, () => calls.delays),
    plans,
    subscriptions,
    invoices: new InvoiceService(db, plans, subscriptions, payments),
    payments,
    rooms,
    reader: new RoomReader(db),
    sync: new SyncService(db, notifier, config.syncTimeoutMaxMs),
    toDevice: new ToDeviceService(writer, config.serverName),
    accountData: new AccountDataService(writer),
    receipts: new ReceiptService(writer),
    typing: new TypingService(writer, jobs),
    presence,
    handles: new HandleService(writer, desk, handleResolver),
    calls,
    inbox: new InboxService(writer, calls, jobs, desk),
    tags: new TagService(writer, jobs),
    email: createEmailNotifier(config.mail, log),
    filters: new FiltersRepo(db),
    captcha,
    turn: new TurnService(config.turn),
  };
}
