/** Site widgets of customers. */
import type { Sql } from "../database.js";

export interface WidgetRow {
  widgetId: string;
  customerId: string;
  serviceId: string;
  side: "left" | "right";
  colorOnline: string;
  colorOffline: string;
  text: string;
  origins: string[];
  createdAt: Date;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toWidget = (r: any): WidgetRow => ({
  widgetId: r.widget_id,
  customerId: r.customer_id,
  serviceId: r.service_id,
  side: r.side,
  colorOnline: r.color_online,
  colorOffline: r.color_offline,
  text: r.text,
  origins: r.origins,
  createdAt: r.created_at,
});

export class WidgetsRepo {
  constructor(private readonly sql: Sql) {}

  async upsert(w: Omit<WidgetRow, "createdAt">): Promise<void> {
    await this.sql.query(
      `INSERT INTO widgets (widget_id, customer_id, service_id, side, color_online, color_offline, text, origins)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (widget_id) DO UPDATE SET service_id = EXCLUDED.service_id, side = EXCLUDED.side,
         color_online = EXCLUDED.color_online, color_offline = EXCLUDED.color_offline, text = EXCLUDED.text,
         origins = EXCLUDED.origins`,
      [w.widgetId, w.customerId, w.serviceId, w.side, w.colorOnline, w.colorOffline, w.text, w.origins],
    );
  }

  async get(widgetId: string): Promise<WidgetRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM widgets WHERE widget_id = $1`, [widgetId]);
    return r ? toWidget(r) : undefined;
  }

  async ofCustomer(customerId: string): Promise<WidgetRow[]> {
    const rows = await this.sql.query(`SELECT * FROM widgets WHERE customer_id = $1 ORDER BY created_at`, [
      customerId,
    ]);
    return rows.map(toWidget);
  }

  async remove(widgetId: string): Promise<void> {
    await this.sql.query(`DELETE FROM widgets WHERE widget_id = $1`, [widgetId]);
  }
}
