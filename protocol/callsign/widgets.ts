/**
 * The site widget (spec/services.md "Site widget"): a small script a company pastes into its
 * pages. It shows a shortcut on the left or right edge whose colour says whether the service's
 * operators are online, and opens the service's call page over the site's page.
 */
import { z } from "zod";

/** What the widget shows now. */
export const WidgetState = {
  Online: "online",
  /** Open, but nobody is online: callers may leave an SMS. */
  Offline: "offline",
  /** Outside the service's hours. */
  Closed: "closed",
  /** The service's subscription is unpaid. */
  Paused: "paused",
} as const;
export type WidgetStateValue = (typeof WidgetState)[keyof typeof WidgetState];

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour is #RRGGBB");
/** A site's origin: scheme, host and port, no path (`https://www.acme.com`). */
const origin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, "an origin is scheme://host[:port], without a path");

export const WidgetSettings = z.object({
  service_id: z.string().max(64),
  side: z.enum(["left", "right"]).default("right"),
  color_online: color.default("#1a7f37"),
  color_offline: color.default("#6e7781"),
  text: z.string().trim().min(1).max(60).default("Call us"),
  /** The sites allowed to show the widget and frame its call page. */
  origins: z.array(origin).min(1).max(20),
});

export const UpdateWidgetRequest = WidgetSettings.partial();

export interface WidgetView {
  widget_id: string;
  customer_id: string;
  service_id: string;
  side: "left" | "right";
  color_online: string;
  color_offline: string;
  text: string;
  origins: string[];
  /** The tag to paste into the site's pages. */
  snippet: string;
  created_at: number;
}

/** What the widget script reads (public, for the allowed origins). */
export interface WidgetStatus {
  widget_id: string;
  state: WidgetStateValue;
  /** The colour to show now. */
  color: string;
  side: "left" | "right";
  text: string;
  /** The service's name and handle. */
  display_name: string;
  handle: string | null;
  /** The call page to open (framed over the site's page). */
  call_url: string;
}

export const widgetsSchemas = { WidgetSettings, UpdateWidgetRequest } as const;
