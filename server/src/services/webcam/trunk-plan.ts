/** Whether a call to `callee` may go to a PBX: its service's trunk mode, read inside the placing transaction. */
import type { Sql } from "../../storage/database.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import { SipTrunksRepo } from "../../storage/repositories/sip-trunks.js";

export async function trunkPlan(sql: Sql, callee: AccountRow) {
  if (callee.kind !== "service") return undefined;
  const service = await new ServicesRepo(sql).byAccount(callee.userId);
  const trunk = service && (await new SipTrunksRepo(sql).get(service.serviceId));
  return trunk ? { mode: trunk.mode, afterS: trunk.afterS } : undefined;
}
