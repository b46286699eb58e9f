/**
 * Test helper: a service's trunk that takes calls from the SIP lab's PBX (spec/services.md
 * "Calls from your PBX"): set through the API with the lab's trunk credentials, and ready once
 * kamailio routes its line (the homeserver registered it).
 */
import { expect } from "chai";
import type { SipTrunkView } from "../../protocol/callsign/sip.js";
import { ext } from "./calls.js";
import type { SipLab } from "./sip-lab.js";
import { until } from "./wait.js";

export interface AcceptingTrunk {
  trunk: SipTrunkView;
  /** Removes the trunk and waits until its line is unregistered at kamailio. */
  remove: () => Promise<void>;
}

export async function acceptCallsFrom(
  lab: SipLab,
  url: string,
  token: string,
  serviceId: string,
): Promise<AcceptingTrunk> {
  const path = `/services/${serviceId}/sip-trunk`;
  const set = await ext<SipTrunkView>(url, "PUT", path, token, {
    uri: lab.extension,
    proxy: lab.proxy,
    username: lab.trunk.username,
    password: lab.trunk.password,
    mode: "instead",
    accept_calls: true,
  });
  expect(set.status, JSON.stringify(set.body)).to.equal(200);
  const line = set.body.line!;
  await until("the trunk's line registered at the PBX", async () =>
    (await lab.options(line)) === 200 ? true : undefined,
  );
  return {
    trunk: set.body,
    remove: async () => {
      expect((await ext(url, "DELETE", path, token)).status).to.equal(200);
      await until("the line unregistered", async () =>
        (await lab.options(line)) === 404 ? true : undefined,
      );
    },
  };
}
