/**
 * The Callsign site widgets API (`/_callsign/client/v1`): a customer's team sets up the widget
 * its sites show — which service it calls, on which edge, in which colours, with which text, and
 * the sites (origins) allowed to show it — and gets the tag to paste into their pages.
 * spec/services.md ("Site widget") defines the semantics.
 */
import type { z } from "zod";
import { CallsignRoutes } from "../../../protocol/callsign/routes.js";
import type { UpdateWidgetRequest, WidgetSettings, WidgetView } from "../../../protocol/callsign/widgets.js";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type CreateWidget = z.input<typeof WidgetSettings>;
export type UpdateWidget = z.input<typeof UpdateWidgetRequest>;

/**
 * A typed client of the site widgets API for one account. Every method rejects with a
 * `ProtocolError`: `M_BAD_JSON` for settings that break the schema (an origin with a path, a
 * colour that is not `#RRGGBB`), `M_INVALID_PARAM` for a service of another customer,
 * `M_NOT_FOUND` for a customer or widget outside the requester's team.
 *
 * @example
 * const widgets = new WidgetsApi("https://telco-a.example", accessToken);
 * const widget = await widgets.create(customerId, {
 *   service_id: serviceId,
 *   side: "left", // default "right"
 *   text: "Talk to us", // default "Call us"
 *   origins: ["https://www.acme.com"],
 * });
 * console.log(widget.snippet); // <script src=".../widget.js" data-widget="w_…" async></script>
 */
export class WidgetsApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the account's access token
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /** The customer's widgets, each with its snippet. */
  list(customerId: string): Promise<{ widgets: WidgetView[] }> {
    return this.send("GET", routePath(CallsignRoutes.customerWidgets, { customerId }));
  }

  /**
   * Sets a widget up for a service of the customer; `side` defaults to `right`, the colours to
   * green (`#1a7f37`) online and grey (`#6e7781`) otherwise, `text` to "Call us".
   */
  create(customerId: string, settings: CreateWidget): Promise<WidgetView> {
    return this.send("POST", routePath(CallsignRoutes.customerWidgets, { customerId }), settings);
  }

  /** Changes the given settings only. */
  update(widgetId: string, settings: UpdateWidget): Promise<WidgetView> {
    return this.send("PUT", routePath(CallsignRoutes.widget, { widgetId }), settings);
  }

  /** Removes the widget; its status answers 404 from then on, to the sites that still have its tag. */
  remove(widgetId: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.widget, { widgetId }));
  }
}
