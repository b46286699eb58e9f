/**
 * Where an operator can transfer a call: the server's answer for the service the call is at
 * (GET /services/{id}/transfer-targets — the customer's other services, each with whether anybody
 * is online there, and the operators of its services by name). A call handed to an operator
 * personally is at no service; its targets are those of the service it last passed through,
 * found among the services the operator works for, and that service is itself a target again.
 */
import type { CallView } from "../../../protocol/callsign/calls.js";
import type { TransferTargetsView } from "../../../protocol/callsign/services.js";
import type { ServicesApi } from "../../sdk/src/index.js";

export type TransferTargets = TransferTargetsView;

/** The targets of `call` for the operator `me` (never themself); empty when no service is known. */
export async function transferTargets(
  services: ServicesApi,
  call: CallView,
  me: string,
): Promise<TransferTargets> {
  const home = call.service_id ? null : await lastService(services, call);
  const serviceId = call.service_id ?? home?.service_id;
  if (!serviceId) return { services: [], operators: [] };
  const targets = await services.transferTargets(serviceId);
  return {
    services: home ? [home, ...targets.services] : targets.services,
    operators: targets.operators.filter((o) => o.user_id !== me),
  };
}

/** The service a personally handed call last passed through, as a target. */
async function lastService(
  services: ServicesApi,
  call: CallView,
): Promise<TransferTargets["services"][number] | null> {
  const passed = [...call.hops].reverse().flatMap((hop) => [hop.from, hop.to]);
  const accounts = passed.filter((p) => p.is_service).map((p) => p.user_id);
  if (accounts.length === 0) return null;
  const { services: operated } = await services.operating();
  for (const account of accounts) {
    const found = operated.find((s) => s.user_id === account);
    if (found) {
      return {
        service_id: found.service_id,
        user_id: found.user_id,
        display_name: found.display_name,
        handle: found.handle,
        online: found.online_operators > 0,
      };
    }
  }
  return null;
}
