/**
 * Resolving a handle to the account that answers it (spec/names.md "Handles", BRIEF
 * "Addressing"): a number, a user name, a domain, or `local@domain`.
 *
 * For a domain and `local@domain`, DNS decides: the domain's `_callsign` TXT record names the
 * provider that hosts it. If it names this provider, the domain must also be held here — a
 * verified claim ([Domains]) — before it answers: both directions are checked, so nobody can
 * point a domain at someone else's account. A bare domain then reaches the service the holder
 * gave it to, or the claim's holder; `local@domain` reaches the service the holder gave that
 * address to, or the holder when `local` is one of the holder's own handles, or any account
 * here when the domain is this provider's own name. With no record, `local@domain` is
 * another provider's party when `domain` is a provider (its federation SRV record), else an
 * e-mail address, looked up among this provider's accounts. Guests have no handle.
 *
 * A record naming another provider makes the handle remote: `locate` says which provider to
 * ask (spec/federation.md "Resolution"); `resolve` refuses it for what works only here.
 *
 * Only DNS answers are cached (for their TTL, per process: names/dns.ts). Claims, services and
 * accounts are read from the database at every lookup, so a claim verified, lapsed or revoked
 * counts at once in every homeserver process on that database: a cached record alone reaches
 * nobody. Caching those rows too would need invalidation across processes for a saving of a
 * few indexed reads.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import type { EntityManager } from "typeorm";
import { parseProviderRecord, PROVIDER_LABEL } from "../../../../protocol/callsign/domains.js";
import { FEDERATION_SRV_LABEL } from "../../../../protocol/federation/discovery.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { parseHandle, type ParsedHandle } from "../../../../protocol/names/grammar.js";
import { HandleError } from "../../../../protocol/names/handle-error.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { DomainClaimsRepo } from "../../storage/repositories/domains.js";
import { DnsLookupError, type DnsClient } from "../names/dns.js";
import type { Sql } from "../../storage/database.js";

/** A handle another provider hosts: ask that provider (spec/federation.md "Resolution"). */
export interface RemoteHandle {
  remote: true;
  provider: string;
  handle: string;
}

export const isRemote = (x: AccountRow | RemoteHandle | undefined): x is RemoteHandle => !!x && "remote" in x;

/** The refusal of a handle another provider hosts, where only this provider's handles work. */
export const remoteRefusal = (found: RemoteHandle) =>
  new ProtocolError("IO_CALLSIGN_REMOTE_HANDLE", `${found.handle} is hosted by ${found.provider}`, {
    provider: found.provider,
  });

export class HandleResolver {
  constructor(
    private readonly manager: EntityManager,
    private readonly sql: Sql,
    private readonly dns: DnsClient,
    private readonly serverName: string,
  ) {}

  /**
   * The account answering `handle` here; throws when DNS cannot tell, and with
   * IO_CALLSIGN_REMOTE_HANDLE when another provider hosts it (for what only works locally).
   */
  async resolve(handle: string): Promise<AccountRow | undefined> {
    const found = await this.locate(handle);
    if (isRemote(found)) throw remoteRefusal(found);
    return found;
  }

  /** The account answering `handle` here, or the provider that hosts it, or undefined. */
  async locate(handle: string): Promise<AccountRow | RemoteHandle | undefined> {
    let parsed: ParsedHandle;
    try {
      parsed = parseHandle(handle);
    } catch (err) {
      if (err instanceof HandleError) return undefined;
      throw err;
    }
    const found = (await this.lookup(parsed)) ?? undefined;
    if (isRemote(found)) return found;
    // Remote parties' rows are reached through their own provider, never by a local handle.
    return found && found.kind !== "guest" && !found.deactivated && found.provider === null
      ? found
      : undefined;
  }

  private async lookup(h: ParsedHandle): Promise<AccountRow | RemoteHandle | null | undefined> {
    const accounts = new AccountsRepo(this.manager);
    switch (h.kind) {
      case "number":
        return accounts.byNumber(h.handle);
      case "name":
        return accounts.byUsername(h.handle);
      case "domain": {
        const host = await this.hostOf(h.handle, false);
        if (host !== this.serverName) return host ? this.remote(host, h.handle) : undefined;
        return this.holderOf(h.handle, "");
      }
      case "address": {
        // `local@<this provider>` needs no DNS.
        if (h.domain === this.serverName) return this.local(h.local);
        const host = await this.hostOf(h.domain, true);
        if (host === undefined) return accounts.byEmail(h.handle);
        if (host !== this.serverName) return this.remote(host, h.handle);
        const holder = await this.holderOf(h.domain, h.local);
        if (!holder || holder.kind === "service") return holder;
        const local = (await this.local(h.local)) ?? undefined;
        return !isRemote(local) && local?.userId === holder.userId ? holder : undefined;
      }
    }
  }

  private remote(provider: string, handle: string): RemoteHandle {
    return { remote: true, provider, handle };
  }

  private async local(local: string): Promise<AccountRow | RemoteHandle | null | undefined> {
    try {
      const p = parseHandle(local);
      if (p.kind === "number" || p.kind === "name") return this.lookup(p);
    } catch (err) {
      if (!(err instanceof HandleError)) throw err;
    }
    return undefined;
  }

  /**
   * Who a verified domain's address reaches: the service the holder gave the address to
   * (`local` '' for the bare domain), or else the holder.
   */
  private async holderOf(domain: string, local: string): Promise<AccountRow | null | undefined> {
    const claim = await new DomainClaimsRepo(this.sql).holding(domain);
    if (!claim) return undefined;
    const service = await new ServiceRoutingRepo(this.sql).atAddress(domain, local, claim.holderId);
    return new AccountsRepo(this.manager).byUserId(service?.accountId ?? claim.holderId);
  }

  /**
   * The provider hosting `domain`: the one its `_callsign` TXT record names (this provider's
   * name when it is ours). Without a record, a provider's own name (`local@<provider>`) is
   * hosted by that provider when it publishes the federation SRV record; else undefined.
   */
  private async hostOf(domain: string, providerName: boolean): Promise<string | undefined> {
    // The SRV question goes out with the TXT one (one round trip when neither is cached): most
    // addresses have no `_callsign` record. Its answer, or failure, counts only when needed.
    const srv = providerName
      ? this.ask(domain, () => this.dns.srv(`${FEDERATION_SRV_LABEL}.${domain}`))
      : undefined;
    srv?.catch(() => undefined);
    const answer = await this.ask(domain, () => this.dns.txt(`${PROVIDER_LABEL}.${domain}`));
    const providers = answer.found
      ? answer.records.map(parseProviderRecord).filter((p): p is string => p !== undefined)
      : [];
    if (providers.includes(this.serverName)) return this.serverName;
    if (providers.length > 0) return providers[0];
    if (!srv) return undefined;
    const found = await srv;
    return found.found && found.records.length > 0 ? domain : undefined;
  }

  private async ask<T>(domain: string, lookup: () => Promise<T>): Promise<T> {
    try {
      return await lookup();
    } catch (err) {
      if (err instanceof DnsLookupError) {
        throw new ProtocolError("IO_CALLSIGN_DNS_FAILED", `DNS could not tell who hosts ${domain}`);
      }
      throw err;
    }
  }
}
