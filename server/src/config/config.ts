/**
 * Configuration: environment variables (optionally a JSON file named by CALLSIGN_CONFIG_FILE,
 * whose keys are the same variable names) → one typed, validated `Config`.
 *
 * This is the only module that reads `process.env`. Every problem is reported at once, with
 * the variable's name, so a wrong deployment fails at start instead of at the first request.
 * Without DATABASE_URL the server runs on the embedded default (PGlite in CALLSIGN_DATA_DIR);
 * without REDIS_URL jobs and wake-ups run in process. Production mode sets both.
 */
import type { JanusInstanceConfig } from "../media/janus/types.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { settings } from "./settings.js";

type Settings = typeof settings;
type Raw = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };

export interface Config {
  serverName: string;
  publicBaseUrl: string | undefined;
  listen: { host: string; port: number };
  database: { url: string | undefined; poolSize: number };
  dataDir: string;
  redis: { url: string | undefined; prefix: string };
  secret: string | undefined;
  dnsServers: string[] | undefined;
  turn: { uris: string[]; secret: string | undefined; ttlSeconds: number };
  /** The Janus pool (spec/media.md); empty: calls have no media. */
  janus: JanusInstanceConfig[];
  logLevel: Raw["CALLSIGN_LOG_LEVEL"];
  passwordCost: number;
  maxBodyBytes: number;
  rateLimit: { perSecond: number; burst: number; authPerMinute: number };
  guestCaptcha: boolean;
  syncTimeoutMaxMs: number;
  calls: {
    ringTimeoutMs: number;
    offlineDecisionMs: number;
    presenceGraceMs: number;
    guestCallsPerMinute: number;
    guestCallsPerTargetPerMinute: number;
  };
  mail: { smtpUrl: string | undefined; from: string };
  names: {
    holdMs: number;
    termMs: number;
    graceMs: number;
    premiumMs: number;
    premiumCents: number;
    /** Yearly price in cents by length, ascending; the last applies to every longer name. */
    prices: [length: number, cents: number][];
    brandFeeCents: number;
    brandTlds: string[];
    trademarksFile: string | undefined;
    currency: string;
  };
  domains: { recheckMs: number; failures: number; failWindowMs: number; graceMs: number };
  federation: {
    plainHttp: boolean;
    block: string[];
    allow: string[] | undefined;
    /** Back-off of delivery to a peer: first wait and longest wait. */
    retryBaseMs: number;
    retryMaxMs: number;
  };
  billing: {
    plans: {
      name: string;
      monthlyCents: number;
      auto: boolean;
      maxOperators: number;
      maxCallMinutes: number;
    }[];
    trialMs: number;
    periodMs: number;
    pastDueMs: number;
    webhookSecret: string | undefined;
    currency: string;
  };
}

/** Raised when settings are wrong; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

function readConfigFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError([`CALLSIGN_CONFIG_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError([`CALLSIGN_CONFIG_FILE: ${file} must hold a JSON object`]);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/**
 * Builds the configuration from an environment (default: `process.env`).
 * Environment variables win over the config file. Unknown `CALLSIGN_*` variables are errors,
 * so a misspelt setting is never silently ignored.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fromFile = env.CALLSIGN_CONFIG_FILE ? readConfigFile(env.CALLSIGN_CONFIG_FILE) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") merged[k] = v;

  const problems: string[] = [];
  const known = new Set<string>([...Object.keys(settings), "CALLSIGN_CONFIG_FILE"]);
  for (const key of Object.keys(merged)) {
    if (key.startsWith("CALLSIGN_") && !known.has(key)) problems.push(`${key}: unknown setting`);
  }
  const raw: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(settings)) {
    const value = merged[key] ?? def.default;
    const result = (def.schema as z.ZodTypeAny).safeParse(value);
    if (result.success) raw[key] = result.data;
    else
      problems.push(
        `${key}: ${result.error.issues.map((i) => i.message).join("; ")} (got ${JSON.stringify(value)})`,
      );
  }
  const r = raw as Raw;
  if (problems.length === 0) {
    if (r.DATABASE_URL && r.REDIS_URL && !r.CALLSIGN_SECRET) {
      problems.push("CALLSIGN_SECRET: required in production mode (DATABASE_URL and REDIS_URL set)");
    }
    if (r.CALLSIGN_TURN_URIS && !r.CALLSIGN_TURN_SECRET) {
      problems.push("CALLSIGN_TURN_SECRET: required when CALLSIGN_TURN_URIS is set");
    }
    if (r.CALLSIGN_JANUS_URLS) {
      if (r.CALLSIGN_JANUS_ADMIN_URLS?.length !== r.CALLSIGN_JANUS_URLS.length)
        problems.push("CALLSIGN_JANUS_ADMIN_URLS: one admin URL per CALLSIGN_JANUS_URLS entry");
      for (const k of [
        "CALLSIGN_JANUS_API_SECRET",
        "CALLSIGN_JANUS_ADMIN_SECRET",
        "CALLSIGN_JANUS_ROOM_ADMIN_KEY",
      ] as const)
        if (!r[k]) problems.push(`${k}: required when CALLSIGN_JANUS_URLS is set`);
    }
    if (r.CALLSIGN_FEDERATION_RETRY_MAX_MS < r.CALLSIGN_FEDERATION_RETRY_BASE_MS) {
      problems.push("CALLSIGN_FEDERATION_RETRY_MAX_MS: must not be below CALLSIGN_FEDERATION_RETRY_BASE_MS");
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    serverName: r.CALLSIGN_SERVER_NAME,
    publicBaseUrl: r.CALLSIGN_PUBLIC_BASE_URL?.replace(/\/+$/, ""),
    listen: { host: r.CALLSIGN_LISTEN_HOST, port: r.CALLSIGN_LISTEN_PORT },
    database: { url: r.DATABASE_URL, poolSize: r.CALLSIGN_DB_POOL_SIZE },
    dataDir: path.resolve(r.CALLSIGN_DATA_DIR),
    redis: { url: r.REDIS_URL, prefix: r.CALLSIGN_REDIS_PREFIX },
    secret: r.CALLSIGN_SECRET,
    dnsServers: r.CALLSIGN_DNS_SERVERS,
    turn: {
      uris: r.CALLSIGN_TURN_URIS ?? [],
      secret: r.CALLSIGN_TURN_SECRET,
      ttlSeconds: r.CALLSIGN_TURN_TTL_S,
    },
    janus: (r.CALLSIGN_JANUS_URLS ?? []).map((url, i) => ({
      id: `janus-${i + 1}`,
      url,
      adminUrl: r.CALLSIGN_JANUS_ADMIN_URLS![i]!,
      apiSecret: r.CALLSIGN_JANUS_API_SECRET!,
      adminSecret: r.CALLSIGN_JANUS_ADMIN_SECRET!,
      roomAdminKey: r.CALLSIGN_JANUS_ROOM_ADMIN_KEY!,
    })),
    logLevel: r.CALLSIGN_LOG_LEVEL,
    passwordCost: r.CALLSIGN_PASSWORD_COST,
    maxBodyBytes: r.CALLSIGN_MAX_BODY_BYTES,
    rateLimit: {
      perSecond: r.CALLSIGN_RATE_LIMIT_PER_S,
      burst: r.CALLSIGN_RATE_LIMIT_BURST,
      authPerMinute: r.CALLSIGN_AUTH_RATE_PER_MIN,
    },
    guestCaptcha: r.CALLSIGN_GUEST_CAPTCHA,
    syncTimeoutMaxMs: r.CALLSIGN_SYNC_TIMEOUT_MAX_MS,
    calls: {
      ringTimeoutMs: r.CALLSIGN_RING_TIMEOUT_S * 1000,
      offlineDecisionMs: r.CALLSIGN_OFFLINE_DECISION_S * 1000,
      presenceGraceMs: r.CALLSIGN_PRESENCE_GRACE_S * 1000,
      guestCallsPerMinute: r.CALLSIGN_GUEST_CALLS_PER_MIN,
      guestCallsPerTargetPerMinute: r.CALLSIGN_GUEST_CALLS_PER_TARGET_PER_MIN,
    },
    names: {
      holdMs: r.CALLSIGN_NAME_HOLD_S * 1000,
      termMs: r.CALLSIGN_NAME_TERM_S * 1000,
      graceMs: r.CALLSIGN_NAME_GRACE_S * 1000,
      premiumMs: r.CALLSIGN_NAME_PREMIUM_S * 1000,
      premiumCents: r.CALLSIGN_NAME_PREMIUM_CENTS,
      prices: r.CALLSIGN_NAME_PRICES.split(",")
        .map((pair) => pair.split(":").map(Number) as [number, number])
        .sort((a, b) => a[0] - b[0]),
      brandFeeCents: r.CALLSIGN_BRAND_FEE_CENTS,
      brandTlds: r.CALLSIGN_BRAND_TLDS,
      trademarksFile: r.CALLSIGN_TRADEMARKS_FILE,
      currency: r.CALLSIGN_CURRENCY,
    },
    domains: {
      recheckMs: r.CALLSIGN_DOMAIN_RECHECK_S * 1000,
      failures: r.CALLSIGN_DOMAIN_FAILURES,
      failWindowMs: r.CALLSIGN_DOMAIN_FAIL_WINDOW_S * 1000,
      graceMs: r.CALLSIGN_DOMAIN_GRACE_S * 1000,
    },
    federation: {
      plainHttp: r.CALLSIGN_FEDERATION_PLAIN_HTTP,
      block: (r.CALLSIGN_FEDERATION_BLOCK ?? []).map((s) => s.toLowerCase()),
      allow: r.CALLSIGN_FEDERATION_ALLOW?.map((s) => s.toLowerCase()),
      retryBaseMs: r.CALLSIGN_FEDERATION_RETRY_BASE_MS,
      retryMaxMs: r.CALLSIGN_FEDERATION_RETRY_MAX_MS,
    },
    billing: {
      plans: r.CALLSIGN_PLANS.split(",").map((entry) => {
        const [name, cents, mode, operators, minutes] = entry.split(":") as [
          string,
          string,
          string,
          string,
          string,
        ];
        return {
          name,
          monthlyCents: Number(cents),
          auto: mode === "auto",
          maxOperators: Number(operators),
          maxCallMinutes: Number(minutes),
        };
      }),
      trialMs: r.CALLSIGN_TRIAL_S * 1000,
      periodMs: r.CALLSIGN_BILLING_PERIOD_S * 1000,
      pastDueMs: r.CALLSIGN_PAST_DUE_S * 1000,
      webhookSecret: r.CALLSIGN_PAYMENT_WEBHOOK_SECRET,
      currency: r.CALLSIGN_CURRENCY,
    },
    mail: {
      smtpUrl: r.CALLSIGN_SMTP_URL,
      from: r.CALLSIGN_MAIL_FROM ?? `Callsign <noreply@${r.CALLSIGN_SERVER_NAME.replace(/:\d+$/, "")}>`,
    },
  };
}
