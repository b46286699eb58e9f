/**
 * Every setting of the homeserver: its environment variable, its schema, its default and what it
 * does. `config.ts` reads and checks them; the README's configuration table is generated from
 * this list (`npm run spec:gen`).
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[0-9.]+)(:\d{1,5})?$/, "must be an IP address with an optional :port");
const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** Every setting: its variable name, its schema and its default. The README table lists these. */
export const settings = {
  CALLSIGN_SERVER_NAME: {
    schema: z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "must be a domain name, optionally with :port"),
    default: "localhost",
    doc: "The provider's domain; user IDs are `@<number>:<server name>`.",
  },
  CALLSIGN_PUBLIC_BASE_URL: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    default: undefined,
    doc: "The URL clients reach the server at (default: `http://<listen host>:<listen port>`).",
  },
  CALLSIGN_LISTEN_HOST: { schema: z.ipv4().or(z.ipv6()), default: "127.0.0.1", doc: "Address to listen on." },
  CALLSIGN_LISTEN_PORT: { schema: int(0, 65535), default: "8008", doc: "TCP port (0 picks a free one)." },
  DATABASE_URL: {
    schema: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    default: undefined,
    doc: "PostgreSQL URL. Unset: embedded PGlite in the data directory.",
  },
  CALLSIGN_DB_POOL_SIZE: {
    schema: int(1, 200),
    default: "10",
    doc: "PostgreSQL pool size (PGlite: always 1).",
  },
  CALLSIGN_DATA_DIR: { schema: z.string().min(1), default: "./data", doc: "Folder for embedded data." },
  REDIS_URL: {
    schema: z.url({ protocol: /^rediss?$/ }).optional(),
    default: undefined,
    doc: "Redis URL for BullMQ jobs and cross-process wake-ups. Unset: both run in process.",
  },
  CALLSIGN_REDIS_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_-]+$/),
    default: "callsign",
    doc: "Prefix of every Redis key and channel (lets several deployments share one Redis).",
  },
  CALLSIGN_SECRET: {
    schema: z.string().min(32, "must be at least 32 characters").optional(),
    default: undefined,
    doc: "Server secret for captcha and TURN HMACs. Required in production; embedded mode keeps one in the data dir.",
  },
  CALLSIGN_DNS_SERVERS: {
    schema: csv(hostPort).optional(),
    default: undefined,
    doc: "Comma-separated DNS servers (`ip[:port]`) for name lookups. Unset: the system's.",
  },
  CALLSIGN_TURN_URIS: {
    schema: csv(z.string().regex(/^turns?:/, "must be turn: or turns: URIs")).optional(),
    default: undefined,
    doc: "TURN URIs handed out by `/voip/turnServer`.",
  },
  CALLSIGN_TURN_SECRET: {
    schema: z.string().min(8).optional(),
    default: undefined,
    doc: "coturn `static-auth-secret` (shared-secret credentials).",
  },
  CALLSIGN_TURN_TTL_S: { schema: int(60, 604800), default: "86400", doc: "Lifetime of TURN credentials." },
  CALLSIGN_JANUS_URLS: {
    schema: csv(z.string().regex(/^wss?:\/\//, "must be ws: or wss: URLs")).optional(),
    default: undefined,
    doc: "Janus API websockets of the media gateway pool (one per instance); unset: calls have no media.",
  },
  CALLSIGN_JANUS_ADMIN_URLS: {
    schema: csv(z.string().regex(/^wss?:\/\//, "must be ws: or wss: URLs")).optional(),
    default: undefined,
    doc: "Janus admin API websockets, in the order of `CALLSIGN_JANUS_URLS`.",
  },
  CALLSIGN_JANUS_API_SECRET: {
    schema: z.string().min(8).optional(),
    default: undefined,
    doc: "Janus `api_secret` (the same on every instance).",
  },
  CALLSIGN_JANUS_ADMIN_SECRET: {
    schema: z.string().min(8).optional(),
    default: undefined,
    doc: "Janus `admin_secret` (the same on every instance).",
  },
  CALLSIGN_JANUS_ROOM_ADMIN_KEY: {
    schema: z.string().min(8).optional(),
    default: undefined,
    doc: "The videoroom plugin's `admin_key`: only the homeserver creates rooms.",
  },
  CALLSIGN_LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    default: "info",
    doc: "Log level (structured JSON logs on stdout).",
  },
  CALLSIGN_PASSWORD_COST: {
    schema: int(10, 20),
    default: "15",
    doc: "scrypt cost as log2(N) (memory = 128·8·N bytes: 15 → 32 MiB).",
  },
  CALLSIGN_MAX_BODY_BYTES: { schema: int(1024, 10485760), default: "65536", doc: "Largest request body." },
  CALLSIGN_RATE_LIMIT_PER_S: {
    schema: int(1, 1000000),
    default: "50",
    doc: "Sustained requests per second per client (IP or user).",
  },
  CALLSIGN_RATE_LIMIT_BURST: { schema: int(1, 1000000), default: "200", doc: "Burst size of the above." },
  CALLSIGN_AUTH_RATE_PER_MIN: {
    schema: int(1, 1000000),
    default: "30",
    doc: "Registrations and logins per minute per IP.",
  },
  CALLSIGN_GUEST_CAPTCHA: {
    schema: bool,
    default: "false",
    doc: "Require a proof-of-work captcha stage for guest registration.",
  },
  CALLSIGN_SYNC_TIMEOUT_MAX_MS: {
    schema: int(0, 600000),
    default: "30000",
    doc: "Cap on `/sync` long-polls.",
  },
  CALLSIGN_RING_TIMEOUT_S: {
    schema: int(1, 86400),
    default: "120",
    doc: "How long a queued call rings before it becomes a missed call.",
  },
  CALLSIGN_OFFLINE_DECISION_S: {
    schema: int(1, 86400),
    default: "300",
    doc: "How long a caller of an offline subscriber has to leave an SMS before the call is recorded as missed.",
  },
  CALLSIGN_PRESENCE_GRACE_S: {
    schema: int(1, 3600),
    default: "15",
    doc: "A subscriber stays online this long after their last `/sync` long-poll ends.",
  },
  CALLSIGN_GUEST_CALLS_PER_MIN: {
    schema: int(1, 100000),
    default: "10",
    doc: "Calls a guest IP may place per minute.",
  },
  CALLSIGN_GUEST_CALLS_PER_TARGET_PER_MIN: {
    schema: int(1, 100000),
    default: "30",
    doc: "Guest calls one subscriber may receive per minute.",
  },
  CALLSIGN_SMTP_URL: {
    schema: z.url({ protocol: /^smtps?$/ }).optional(),
    default: undefined,
    doc: "SMTP relay for SMS and missed-call e-mails (`smtp://user:pass@host:587`). Unset: e-mails are logged.",
  },
  CALLSIGN_MAIL_FROM: {
    schema: z.string().min(3).max(320).optional(),
    default: undefined,
    doc: "From address of notification e-mails (default: `Callsign <noreply@<server name>>`).",
  },
  CALLSIGN_NAME_HOLD_S: {
    schema: int(1, 86400),
    default: "900",
    doc: "How long a name is held for its payment before it is released.",
  },
  CALLSIGN_NAME_TERM_S: {
    schema: int(1, 315360000),
    default: "31536000",
    doc: "One paid term of a name (a year).",
  },
  CALLSIGN_NAME_GRACE_S: {
    schema: int(0, 31536000),
    default: "7776000",
    doc: "Grace after a term ends, when only the holder may renew (90 days).",
  },
  CALLSIGN_NAME_PREMIUM_S: {
    schema: int(0, 31536000),
    default: "1814400",
    doc: "How long a released name carries a decaying release premium (21 days).",
  },
  CALLSIGN_NAME_PREMIUM_CENTS: {
    schema: int(0, 100000000),
    default: "100000",
    doc: "Release premium at the moment of release, decaying linearly to zero.",
  },
  CALLSIGN_NAME_PRICES: {
    schema: z
      .string()
      .regex(/^\d+:\d+(,\d+:\d+)*$/, "must be `length:cents` pairs, e.g. `3:64000,4:16000,5:500,6:0`"),
    default: "3:20000,4:5000,5:0",
    doc: "Yearly price of a name by its length, in cents; the last entry covers all longer names.",
  },
  CALLSIGN_BRAND_FEE_CENTS: {
    schema: int(0, 100000000),
    default: "50000",
    doc: "Yearly brand fee on top of the price of a brand-like name.",
  },
  CALLSIGN_BRAND_TLDS: {
    schema: csv(z.string().regex(/^[a-z0-9-]+$/, "must be TLD labels like `com`")),
    default: "com,net,org,io,ru,br,pt",
    doc: "A name is a brand when `<name>.<tld>` exists in DNS for one of these.",
  },
  CALLSIGN_TRADEMARKS_FILE: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "A text file of trademarks (one per line) whose names count as brands.",
  },
  CALLSIGN_DOMAIN_RECHECK_S: {
    schema: int(1, 31536000),
    default: "86400",
    doc: "How often a verified domain's record is checked again.",
  },
  CALLSIGN_DOMAIN_FAILURES: {
    schema: int(1, 1000),
    default: "3",
    doc: "Failed re-checks in a row before a domain enters grace (together with the failure window).",
  },
  CALLSIGN_DOMAIN_FAIL_WINDOW_S: {
    schema: int(0, 31536000),
    default: "259200",
    doc: "How long re-checks must have failed before a domain enters grace (3 days).",
  },
  CALLSIGN_DOMAIN_GRACE_S: {
    schema: int(0, 31536000),
    default: "604800",
    doc: "Grace after the failures, before the claim lapses (7 days).",
  },
  CALLSIGN_CURRENCY: {
    schema: z.string().regex(/^[A-Z]{3}$/),
    default: "EUR",
    doc: "Currency of prices (ISO 4217).",
  },
  CALLSIGN_FEDERATION_PLAIN_HTTP: {
    schema: bool,
    default: "false",
    doc: "Talk to peer providers over plain HTTP at the addresses DNS gives (test networks on loopback only); HTTPS otherwise.",
  },
  CALLSIGN_FEDERATION_BLOCK: {
    schema: csv(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "must be server names")).optional(),
    default: undefined,
    doc: "Providers (server names) this provider refuses to talk to, either way.",
  },
  CALLSIGN_FEDERATION_ALLOW: {
    schema: csv(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "must be server names")).optional(),
    default: undefined,
    doc: "If set, the only providers this provider talks to (an allow-list); unset: any provider not blocked.",
  },
  CALLSIGN_FEDERATION_RETRY_BASE_MS: {
    schema: int(1, 3600000),
    default: "1000",
    doc: "Wait before retrying a peer after its first failed delivery; it doubles with each further failure (with jitter, ×0.5–1).",
  },
  CALLSIGN_FEDERATION_RETRY_MAX_MS: {
    schema: int(1, 86400000),
    default: "600000",
    doc: "Longest wait between delivery attempts to a peer that stays unreachable (10 minutes).",
  },
  CALLSIGN_PLANS: {
    schema: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*:\d+:(shared|auto):\d+:\d+(\.\d+)?(,[a-z][a-z0-9-]*:\d+:(shared|auto):\d+:\d+(\.\d+)?)*$/,
        "must be `name:monthly cents:shared|auto:max operators:max call minutes` entries, comma-separated",
      ),
    default: "basic:1900:shared:2:30,team:4900:auto:10:120,business:14900:auto:50:480",
    doc: "Tariff plans of Webcam services: name, monthly fee in cents, the distribution modes allowed (`auto` allows both), operators online at most, longest call in minutes (decimals allowed). The first is the plan of a new service's trial.",
  },
  CALLSIGN_TRIAL_S: {
    schema: int(0, 31536000),
    default: "1209600",
    doc: "Free trial of a new service (14 days).",
  },
  CALLSIGN_BILLING_PERIOD_S: {
    schema: int(1, 31536000),
    default: "2592000",
    doc: "One paid period of a service's plan (30 days).",
  },
  CALLSIGN_PAST_DUE_S: {
    schema: int(0, 31536000),
    default: "259200",
    doc: "How long an unpaid service keeps running past due before it is paused (3 days).",
  },
  CALLSIGN_PAYMENT_WEBHOOK_SECRET: {
    schema: z.string().min(16).optional(),
    default: undefined,
    doc: "Shared secret that signs the payment provider's webhooks; derived from CALLSIGN_SECRET when unset.",
  },
} as const;
