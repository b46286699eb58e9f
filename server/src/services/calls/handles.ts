/**
 * Handles on this provider: a 9-digit number, an e-mail address or a user name names one
 * account (spec/calls.md "Addressing"). Guests have no handle and cannot be called.
 */
import { AccountRules } from "../../../../protocol/matrix/auth.js";
import type { EntityManager } from "typeorm";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";

export async function resolveHandle(manager: EntityManager, handle: string): Promise<AccountRow | undefined> {
  const h = handle.trim().toLowerCase();
  const accounts = new AccountsRepo(manager);
  let found: AccountRow | null = null;
  if (AccountRules.numberPattern.test(h)) found = await accounts.byNumber(h);
  else if (AccountRules.emailPattern.test(h)) found = await accounts.byEmail(h);
  else if (AccountRules.usernamePattern.test(h)) found = await accounts.byUsername(h);
  return found && found.kind === "user" && !found.deactivated ? found : undefined;
}
