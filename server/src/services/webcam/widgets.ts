/**
 * Site widgets (spec/services.md "Site widget"). The customer's team sets one up for one of its
 * services and the sites (origins) that may show it; the widget script reads the service's
 * state — online, offline, closed, paused — with a long poll that an operator switching online
 * or offline wakes at once (through the notifier, keyed by the service's account), and the
 * call page it frames allows exactly those origins as its frame ancestors.
 */
import { randomBytes } from "node:crypto";
import { callLink, WidgetRoutes } from "../../../../protocol/callsign/routes.js";
import {
  WidgetState,
  type WidgetSettings,
  type WidgetStateValue,
  type WidgetStatus,
  type WidgetView,
} from "../../../../protocol/callsign/widgets.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { z } from "zod";
import type { Database } from "../../storage/database.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import { WidgetsRepo, type WidgetRow } from "../../storage/repositories/widgets.js";
import type { CustomerService } from "../customers/customer-service.js";
import type { Notifier } from "../notifier.js";
import type { Requester } from "../requester.js";
import type { ServiceDesk } from "./desk.js";

/** The longest a status poll waits for a change. */
export const STATUS_WAIT_MAX_MS = 30_000;

type Settings = z.output<typeof WidgetSettings>;

export class WidgetService {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerService,
    private readonly desk: ServiceDesk,
    private readonly notifier: Notifier,
    private readonly baseUrl: string,
  ) {}

  async create(r: Requester, customerId: string, s: Settings): Promise<WidgetView> {
    await this.customers.roleOf(r, customerId);
    await this.serviceOf(customerId, s.service_id);
    const widgetId = `w_${randomBytes(9).toString("base64url")}`;
    await new WidgetsRepo(this.db).upsert({ widgetId, customerId, ...fromSettings(s) });
    return this.view((await new WidgetsRepo(this.db).get(widgetId))!);
  }

  async list(r: Requester, customerId: string): Promise<WidgetView[]> {
    await this.customers.roleOf(r, customerId);
    return (await new WidgetsRepo(this.db).ofCustomer(customerId)).map((w) => this.view(w));
  }

  async update(r: Requester, widgetId: string, patch: Partial<Settings>): Promise<WidgetView> {
    const w = await this.managed(r, widgetId);
    if (patch.service_id) await this.serviceOf(w.customerId, patch.service_id);
    const next = { ...toSettings(w), ...patch };
    await new WidgetsRepo(this.db).upsert({ widgetId, customerId: w.customerId, ...fromSettings(next) });
    await this.wake(w.serviceId);
    return this.view((await new WidgetsRepo(this.db).get(widgetId))!);
  }

  async remove(r: Requester, widgetId: string): Promise<void> {
    const w = await this.managed(r, widgetId);
    await new WidgetsRepo(this.db).remove(widgetId);
    await this.wake(w.serviceId);
  }

  /**
   * The widget's status for a page at `origin` (absent: not a browser's cross-origin request).
   * With `since` equal to the current state, waits up to `waitMs` for a change.
   */
  async status(
    widgetId: string,
    origin: string | undefined,
    since?: string,
    waitMs = 0,
  ): Promise<WidgetStatus> {
    const w = await this.allowed(widgetId, origin);
    const accountId = (await new ServicesRepo(this.db).get(w.serviceId))!.accountId;
    // Subscribe before reading, so a change between the read and the wait still wakes it.
    const sub = this.notifier.subscribe(accountId, Math.min(waitMs, STATUS_WAIT_MAX_MS));
    try {
      const first = await this.read(w, accountId);
      if (first.state !== since || waitMs <= 0) return first;
      await sub.woken;
      // Shutting down: answer what is known rather than reading a closing database.
      if (this.notifier.closed) return first;
      // Read the widget again: the owner may have changed or removed it meanwhile.
      return await this.read(await this.allowed(widgetId, origin), accountId);
    } finally {
      sub.cancel();
    }
  }

  /** The origins that may frame the call page opened from this widget (none: unknown widget). */
  async frameAncestors(widgetId: string): Promise<string[]> {
    return (await new WidgetsRepo(this.db).get(widgetId))?.origins ?? [];
  }

  /** The widget, if `origin` is one of its sites; the same 404 for unknown widgets and other sites. */
  private async allowed(widgetId: string, origin: string | undefined): Promise<WidgetRow> {
    const w = await new WidgetsRepo(this.db).get(widgetId);
    if (!w) throw new ProtocolError("M_NOT_FOUND", "No such widget");
    if (origin !== undefined && !w.origins.includes(origin.toLowerCase())) {
      throw new ProtocolError("M_FORBIDDEN", `This widget is not set up for ${origin}`);
    }
    return w;
  }

  private async read(w: WidgetRow, accountId: string): Promise<WidgetStatus> {
    const account = (await new AccountsRepo(this.db.dataSource.manager).byUserId(accountId))!;
    const standing = (await this.desk.standing(this.db, accountId))!;
    const state: WidgetStateValue = standing.paused
      ? WidgetState.Paused
      : !standing.open
        ? WidgetState.Closed
        : standing.operators.length > 0
          ? WidgetState.Online
          : WidgetState.Offline;
    const handle = account.username ?? account.number!;
    return {
      widget_id: w.widgetId,
      state,
      color: state === WidgetState.Online ? w.colorOnline : w.colorOffline,
      side: w.side,
      text: w.text,
      display_name: account.displayName ?? handle,
      handle: account.username,
      call_url: `${this.baseUrl}${callLink(handle)}?widget=${encodeURIComponent(w.widgetId)}`,
    };
  }

  /** Waiting status polls of the service's widgets answer again (settings changed). */
  private async wake(serviceId: string): Promise<void> {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (service) this.notifier.publish(0, [service.accountId]);
  }

  private async managed(r: Requester, widgetId: string): Promise<WidgetRow> {
    const w = await new WidgetsRepo(this.db).get(widgetId);
    if (!w || !(await this.customers.isMember(r.userId, w.customerId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such widget");
    }
    return w;
  }

  private async serviceOf(customerId: string, serviceId: string) {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (!service || service.customerId !== customerId) {
      throw new ProtocolError("M_INVALID_PARAM", `${serviceId} is not a service of this customer`);
    }
    return service;
  }

  private view(w: WidgetRow): WidgetView {
    return {
      widget_id: w.widgetId,
      customer_id: w.customerId,
      ...toSettings(w),
      snippet: `<script src="${this.baseUrl}${WidgetRoutes.script}" data-widget="${w.widgetId}" async></script>`,
      created_at: w.createdAt.getTime(),
    };
  }
}

const fromSettings = (s: Settings) => ({
  serviceId: s.service_id,
  side: s.side,
  colorOnline: s.color_online.toLowerCase(),
  colorOffline: s.color_offline.toLowerCase(),
  text: s.text,
  origins: [...new Set(s.origins.map((o) => o.toLowerCase()))],
});

const toSettings = (w: WidgetRow): Settings => ({
  service_id: w.serviceId,
  side: w.side,
  color_online: w.colorOnline,
  color_offline: w.colorOffline,
  text: w.text,
  origins: w.origins,
});
