/** The provider's tariff plans (CALLSIGN_PLANS), as the API shows them. */
import { DistributionMode, type PlanView } from "../../../../protocol/callsign/billing.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";

export class Plans {
  constructor(private readonly cfg: Config["billing"]) {}

  list(): PlanView[] {
    return this.cfg.plans.map((p) => this.view(p.name));
  }

  /** The plan a new service's trial runs on. */
  get trialPlan(): string {
    return this.cfg.plans[0]!.name;
  }

  /** The plan by name; 400 M_INVALID_PARAM for one the provider does not offer. */
  view(name: string): PlanView {
    const p = this.cfg.plans.find((x) => x.name === name);
    if (!p) {
      throw new ProtocolError(
        "M_INVALID_PARAM",
        `No plan ${name}: choose one of ${this.cfg.plans.map((x) => x.name).join(", ")}`,
      );
    }
    return {
      plan: p.name,
      monthly_cents: p.monthlyCents,
      currency: this.cfg.currency,
      modes: p.auto ? [DistributionMode.Shared, DistributionMode.Auto] : [DistributionMode.Shared],
      max_operators: p.maxOperators,
      max_call_minutes: p.maxCallMinutes,
    };
  }
}
