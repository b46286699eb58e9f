/**
 * The Callsign names and domains API (`/_callsign/client/v1`): quoting, reserving, paying for,
 * renewing and giving up names (user names and service ids); proving control of a domain
 * through a DNS TXT record; claiming a brand name as the verified owner of its domain; and the
 * directory the dial box searches. spec/names.md ("Registering names", "Domains", "Verified
 * owners win", "Directory") defines the semantics.
 */
import type { z } from "zod";
import type { DomainView } from "../../../protocol/callsign/domains.js";
import type {
  DirectoryEntry,
  NameKind,
  NameQuote,
  NameView,
  PayNameRequest,
  ReserveNameRequest,
} from "../../../protocol/callsign/names.js";
import { CallsignRoutes } from "../../../protocol/callsign/routes.js";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type ReserveName = z.input<typeof ReserveNameRequest>;
export type PayName = z.input<typeof PayNameRequest>;

/** The answer to a verified domain owner's claim of a name (`POST /names/{name}/claim`). */
export interface NameClaimView {
  name: string;
  /** The verified domain the claim rests on (`acme.com`). */
  claimed_by_domain: string;
  /**
   * Until when (ms since the epoch) the current holder keeps the name; then it is held for the
   * claimant. `null` when it was handed over at once (the name was in grace).
   */
  holder_until: number | null;
}

/**
 * A typed client of the names and domains API for one account (or none: `quote()` works signed
 * out). Every method rejects with a `ProtocolError` carrying the server's `errcode`, message and
 * extra fields: `reason` (IO_CALLSIGN_INVALID_NAME), `conflicts_with`
 * (IO_CALLSIGN_NAME_CONFUSABLE), and so on.
 *
 * @example
 * const names = new NamesApi("https://telco-a.example", accessToken);
 * const quote = await names.quote("Acme");
 * if (quote.available) {
 *   const held = await names.reserve(quote.name, "service");
 *   if (held.state === "held") await names.pay(held.name, "4242 4242 4242 4242");
 * }
 * const claim = await names.claimDomain("acme.com");
 * // publish claim.record (a TXT record at claim.record.name), then:
 * const domain = await names.checkDomain("acme.com"); // state "verified" once DNS shows it
 */
export class NamesApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the account's access token; omit for signed-out quotes
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken?: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /**
   * What reserving `name` costs now and whether it can be had; `name` in the answer is the
   * normalised form. Rejects with IO_CALLSIGN_INVALID_NAME (`reason`) for a name that breaks the
   * grammar, IO_CALLSIGN_BRAND_CHECK_FAILED when DNS could not tell whether it is a brand.
   */
  quote(name: string): Promise<NameQuote> {
    return this.send("GET", routePath(CallsignRoutes.name, { name }));
  }

  /**
   * Reserves a name: a free one is `active` at once, any other `held` until `held_until`,
   * awaiting `pay()`. An account holds at most one user name (`kind: "user"`, the default).
   */
  reserve(name: string, kind: NameKind = "user"): Promise<NameView> {
    const body: ReserveName = { name, kind };
    return this.send("POST", routePath(CallsignRoutes.names), body);
  }

  /**
   * Pays the first term of a held name (or renews). `source` is the card or token the payment
   * form collected; a declined one rejects with IO_CALLSIGN_PAYMENT_DECLINED and the name stays
   * held.
   */
  pay(name: string, source: string): Promise<NameView> {
    const body: PayName = { source };
    return this.send("POST", routePath(CallsignRoutes.namePay, { name }), body);
  }

  /** Renews an active name or one in grace for another term (IO_CALLSIGN_NAME_CLAIMED if claimed). */
  renew(name: string, source: string): Promise<NameView> {
    const body: PayName = { source };
    return this.send("POST", routePath(CallsignRoutes.nameRenew, { name }), body);
  }

  /** The account's names (held, active or in grace), each with its audit events. */
  names(): Promise<{ names: NameView[] }> {
    return this.send("GET", routePath(CallsignRoutes.names));
  }

  /** Gives a name up: it is released now. */
  release(name: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.name, { name }));
  }

  /**
   * As the verified owner of `<name>.<tld>`, claims a name someone else holds: they keep it to
   * the end of their paid term, then it is held for this account at its plain price.
   */
  claim(name: string): Promise<NameClaimView> {
    return this.send("POST", routePath(CallsignRoutes.nameClaim, { name }), {});
  }

  /** Claims a domain (or answers the open claim of it) with the TXT record to publish. */
  claimDomain(domain: string): Promise<DomainView> {
    return this.send("POST", routePath(CallsignRoutes.domains), { domain });
  }

  /** Looks the record up now; rejects with IO_CALLSIGN_DNS_FAILED when DNS could not tell. */
  checkDomain(domain: string): Promise<DomainView> {
    return this.send("POST", routePath(CallsignRoutes.domainCheck, { domain }), {});
  }

  /** The account's open domain claims (pending, verified, failing or in grace). */
  domains(): Promise<{ domains: DomainView[] }> {
    return this.send("GET", routePath(CallsignRoutes.domains));
  }

  /** Withdraws a domain claim. */
  withdrawDomain(domain: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.domain, { domain }));
  }

  /**
   * What can be dialled by name: user names and service ids (active or in grace) and domains
   * with a holding claim (`verified`), exact matches first, then prefixes, then near spellings.
   * Works signed out; a query of fewer than two characters finds nothing.
   *
   * @param limit at most this many results, 1–50 (the server's default is 20)
   * @example (await names.directory("acme")).results[0]; // { kind: "service", handle: "acme", … }
   */
  directory(query: string, limit?: number): Promise<{ results: DirectoryEntry[] }> {
    const params = new URLSearchParams({ q: query, ...(limit !== undefined && { limit: String(limit) }) });
    return this.send("GET", `${routePath(CallsignRoutes.directory)}?${params}`);
  }
}
