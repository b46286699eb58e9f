/**
 * Reserved names (spec/names.md, "Reserved names"): names no account or service may hold, so
 * that nobody can pose as the provider, its staff, its protocol or a guest. The comparison is by
 * `nameKey`, so `аdmin` (Cyrillic а), `r00t` and `guest_1` are as reserved as `admin`, `root` and
 * `guest-1`. A provider may reserve more; it must reserve at least these.
 *
 * Reservation applies when a name is registered; a name held before it became reserved keeps
 * its holder (a provider never takes a name away because this list grew).
 */
import { CallLinkRoutes, CallsignRoutes } from "../callsign/routes.js";
import { nameKey } from "./skeleton.js";

/** Names reserved by every provider, in normalised form. */
export const ReservedNames = [
  // The provider, its operators and its roles.
  ...["admin", "administrator", "root", "sysadmin", "system", "superuser", "owner", "operator"],
  ...["staff", "team", "official", "verified", "moderator", "support", "help", "helpdesk"],
  ...["info", "contact", "billing", "payments", "invoice", "security", "privacy", "legal"],
  ...["abuse", "postmaster", "hostmaster", "webmaster", "noc", "mailer-daemon", "no-reply", "noreply"],
  // The product and its parts.
  ...["callsign", "provider", "homeserver", "server", "federation", "service", "services", "brand"],
  ...["janus", "sip", "matrix", "webrtc", "widget", "bot", "robot"],
  // Web and mail host names a provider may run under its domain.
  ...["www", "api", "app", "mail", "smtp", "imap", "dns", "static", "assets", "media", "cdn"],
  ...["well-known", "login", "logout", "register", "signup", "account", "accounts", "settings"],
  // Who a caller is or is not.
  ...["guest", "guests", "anonymous", "anon", "nobody", "everyone", "all", "someone", "unknown"],
  ...["null", "undefined", "none", "self", "test", "echo"],
  // Emergency services: nobody may pose as them.
  ...["emergency", "police", "ambulance", "rescue"],
] as const;

/**
 * Name prefixes reserved with any continuation after a separator: `guest-…` reads like a guest's
 * user ID (`@guest-<random>`), `callsign-…` like the product.
 */
export const ReservedPrefixes = ["guest", "callsign"] as const;

/** Static segments of the extension API and call-link paths: protocol keywords. */
export function protocolKeywords(): string[] {
  const paths = [...Object.values(CallsignRoutes), ...Object.values(CallLinkRoutes)];
  const segments = paths.flatMap((p) => p.split("/")).filter((seg) => /^[a-z][a-z0-9_-]{2,}$/.test(seg));
  return [...new Set(segments)].sort();
}

const reservedKeys = new Set([...ReservedNames, ...protocolKeywords()].map(nameKey));
const prefixKeys = ReservedPrefixes.map((p) => `${nameKey(p)}-`);

/**
 * Whether a normalised name is reserved: its `nameKey` equals the key of a reserved name or of a
 * protocol keyword, or starts with the key of a reserved prefix followed by `-` (`_` folds into
 * `-`).
 *
 * @example
 * isReserved("admin") // true
 * isReserved("\u0430dmin") // true (Cyrillic а)
 * isReserved("guest_42") // true
 * isReserved("alice") // false
 */
export function isReserved(name: string): boolean {
  const key = nameKey(name);
  return reservedKeys.has(key) || prefixKeys.some((p) => key.startsWith(p));
}
