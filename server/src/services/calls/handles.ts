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
 * an e-mail address, looked up among this provider's accounts. Guests have no handle.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import type { EntityManager } from "typeorm";
import { parseProviderRecord, PROVIDER_LABEL } from "../../../../protocol/callsign/domains.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { parseHandle, type ParsedHandle } from "../../../../protocol/names/grammar.js";
import { HandleError } from "../../../../protocol/names/handle-error.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { DomainClaimsRepo } from "../../storage/repositories/domains.js";
import { DnsLookupError, type DnsClient } from "../names/dns.js";
import type { Sql } from "../../storage/database.js";

export class HandleResolver {
  constructor(
    private readonly manager: EntityManager,
    private readonly sql: Sql,
    private readonly dns: DnsClient,
    private readonly serverName: string,
  ) {}

  /** The account answering `handle`, or undefined; throws when DNS cannot tell or another provider hosts it. */
  async resolve(handle: string): Promise<AccountRow | undefined> {
    let parsed: ParsedHandle;
    try {
      parsed = parseHandle(handle);
    } catch (err) {
      if (err instanceof HandleError) return undefined;
      throw err;
    }
    const found = await this.lookup(parsed);
    return found && found.kind !== "guest" && !found.deactivated ? found : undefined;
  }

  private async lookup(h: ParsedHandle): Promise<AccountRow | null | undefined> {
    const accounts = new AccountsRepo(this.manager);
    switch (h.kind) {
      case "number":
        return accounts.byNumber(h.handle);
      case "name":
        return accounts.byUsername(h.handle);
      case "domain": {
        if (!(await this.hostedHere(h.handle))) return undefined;
        return this.holderOf(h.handle, "");
      }
      case "address": {
        const hosted = await this.hostedHere(h.domain);
        if (hosted === undefined) return accounts.byEmail(h.handle);
        if (!hosted) return undefined;
        if (h.domain === this.serverName) return this.local(h.local);
        const holder = await this.holderOf(h.domain, h.local);
        if (!holder || holder.kind === "service") return holder;
        const local = await this.local(h.local);
        return local?.userId === holder.userId ? holder : undefined;
      }
    }
  }

  private async local(local: string): Promise<AccountRow | null | undefined> {
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
   * Whether the domain's `_callsign` record names this provider: true, false (another provider:
   * refused with IO_CALLSIGN_REMOTE_HANDLE), or undefined when there is no record.
   */
  private async hostedHere(domain: string): Promise<boolean | undefined> {
    let answer;
    try {
      answer = await this.dns.txt(`${PROVIDER_LABEL}.${domain}`);
    } catch (err) {
      if (err instanceof DnsLookupError) {
        throw new ProtocolError("IO_CALLSIGN_DNS_FAILED", `DNS could not tell who hosts ${domain}`);
      }
      throw err;
    }
    if (!answer.found) return undefined;
    const providers = answer.records.map(parseProviderRecord).filter((p): p is string => p !== undefined);
    if (providers.length === 0) return undefined;
    if (providers.includes(this.serverName)) return true;
    throw new ProtocolError("IO_CALLSIGN_REMOTE_HANDLE", `${domain} is hosted by ${providers[0]}`, {
      provider: providers[0],
    });
  }
}
