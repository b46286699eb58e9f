/**
 * Operating hours between the wire (`OperatingHours`: periods `[from, to)` as `HH:MM`, `24:00`
 * allowed as an end) and the hours editor, whose time fields cannot show `24:00`: there an end
 * of `00:00` means midnight at the end of the day. Also the line that sums a schedule up.
 */
import { Weekdays, type OperatingHours } from "../../../protocol/callsign/services.js";

export type Weekday = (typeof Weekdays)[number];
export type Period = [string, string];

/** What the editor holds: every weekday present (an empty list is closed). */
export interface HoursDraft {
  time_zone: string;
  weekly: Record<Weekday, Period[]>;
  exceptions: { date: string; periods: Period[] }[];
}

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** The period a new row starts with. */
export const DEFAULT_PERIOD: Period = ["09:00", "17:00"];

/** The draft of a service's hours; a service open always starts from Monday to Friday, 9 to 5. */
export function draftOf(hours: OperatingHours | null, timeZone: string): HoursDraft {
  const weekly = Object.fromEntries(
    Weekdays.map((day) => {
      const periods = hours
        ? (hours.weekly[day] ?? [])
        : day === "sat" || day === "sun"
          ? []
          : [DEFAULT_PERIOD];
      return [day, periods.map(fromWire)];
    }),
  ) as Record<Weekday, Period[]>;
  return {
    time_zone: hours?.time_zone ?? timeZone,
    weekly,
    exceptions: (hours?.exceptions ?? []).map((e) => ({ date: e.date, periods: e.periods.map(fromWire) })),
  };
}

/**
 * The request body of a draft: closed weekdays are left out, as the wire wants; nothing is
 * checked here (the server says what is wrong).
 *
 * @example wireOf(draft).weekly.mon // [["09:00", "24:00"]] for a Monday edited as 09:00–00:00
 */
export function wireOf(draft: HoursDraft): OperatingHours {
  const weekly: OperatingHours["weekly"] = {};
  for (const day of Weekdays) {
    if (draft.weekly[day].length > 0) weekly[day] = draft.weekly[day].map(toWire);
  }
  return {
    time_zone: draft.time_zone.trim(),
    weekly,
    exceptions: draft.exceptions.map((e) => ({ date: e.date, periods: e.periods.map(toWire) })),
  };
}

const toWire = ([from, to]: Period): Period => [from, to === "00:00" ? "24:00" : to];
const fromWire = ([from, to]: Period): Period => [from, to === "24:00" ? "00:00" : to];

/** One line about a service's hours for its card. */
export function hoursSummary(hours: OperatingHours | null, open: boolean): string {
  if (!hours) return "Always open while an operator is online.";
  const now = open ? "open now" : "closed now";
  return `Open by its schedule (${hours.time_zone}), ${now}.`;
}
