/** Helpers for Webcam services tests: a customer's services with operators online, and queues. */
import { expect } from "chai";
import type { CallView } from "../../protocol/callsign/calls.js";
import type { CustomerView } from "../../protocol/callsign/customers.js";
import type { OperatedServiceView, ServiceView } from "../../protocol/callsign/services.js";
import { ext, subscriber, type Subscriber } from "./calls.js";

let seq = 0;

export class ServiceKit {
  private constructor(
    readonly url: string,
    readonly owner: Subscriber,
    readonly customerId: string,
  ) {}

  /** A new owner with a customer named `name`. */
  static async start(url: string, name: string): Promise<ServiceKit> {
    const owner = await subscriber(url);
    const customer = await ext<CustomerView>(url, "POST", "/customers", owner.access_token, { name });
    return new ServiceKit(url, owner, customer.body.customer_id);
  }

  /** A service of the customer with a free (long) id, and its operators switched online. */
  async service(operators: Subscriber[] = []): Promise<ServiceView> {
    seq += 1;
    const created = await ext<ServiceView>(
      this.url,
      "POST",
      `/customers/${this.customerId}/services`,
      this.owner.access_token,
      { service_id: `acmedesk${seq}x${Date.now() % 100000}`, display_name: `Desk ${seq}` },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    for (const op of operators) {
      await ext(this.url, "POST", `/services/${created.body.service_id}/operators`, this.owner.access_token, {
        email: op.email,
      });
      await this.online(op, created.body.service_id, true);
    }
    return created.body;
  }

  async online(op: Subscriber, serviceId: string, on: boolean): Promise<OperatedServiceView> {
    const res = await ext<OperatedServiceView>(
      this.url,
      "PUT",
      `/services/${serviceId}/online`,
      op.access_token,
      {
        online: on,
      },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  }

  /** The requester's (merged) queue. */
  async queueOf(op: Subscriber): Promise<CallView[]> {
    return (await ext<{ calls: CallView[] }>(this.url, "GET", "/queue", op.access_token)).body.calls;
  }
}
