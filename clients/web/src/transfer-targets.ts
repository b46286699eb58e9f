/**
 * Where an operator can transfer a call: the other services of the customer whose service the
 * call came through. An operator sees the services they operate (GET /operating, then each
 * service for its customer); a member of the customer's team sees all of its services. Nothing
 * lists a customer's services to an operator off the team, so those are the ones they operate.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { ServiceView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";

/** The services the call can go to, in the order the server lists them; empty when none is known. */
export async function transferTargets(services: ServicesApi, call: CallView): Promise<ServiceView[]> {
  // The call's own service, or — once handed to an operator personally — the one it came from.
  const parties = [call.callee, ...[...call.hops].reverse().flatMap((hop) => [hop.to, hop.from])];
  const accounts = parties.filter((p) => p.is_service).map((p) => p.user_id);
  const homeOf = (views: ServiceView[]) =>
    accounts.map((id) => views.find((v) => v.user_id === id)).find((v) => v !== undefined);

  const [{ services: operated }, { customers }] = await Promise.all([
    services.operating(),
    services.customers(),
  ]);
  const mine = await Promise.all(operated.map((s) => services.service(s.service_id)));
  let home = homeOf(mine);
  let pool = mine;
  const team = customers.filter((c) => !home || c.customer_id === home.customer_id);
  for (const customer of team) {
    const all = (await services.services(customer.customer_id)).services;
    const found = homeOf(all);
    if (!found) continue;
    home = found;
    pool = all;
    break;
  }
  if (!home) return [];
  return pool.filter((s) => s.customer_id === home.customer_id && s.user_id !== call.callee.user_id);
}
