/**
 * Operating hours (spec/services.md "Operating hours"): whether a service is open at a moment,
 * read in the service's own time zone. A date listed in `exceptions` uses its own periods (none:
 * closed all day) instead of its weekday's. Periods are `[from, to)` in local wall-clock time.
 */
import { Weekdays, type OperatingHours } from "../../../../protocol/callsign/services.js";

interface LocalTime {
  date: string;
  weekday: (typeof Weekdays)[number];
  clock: string;
}

/** The wall-clock date, weekday and `HH:MM` at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as LocalTime["weekday"],
    clock: `${parts.hour}:${parts.minute}`,
  };
}

/** Whether `hours` (null: no schedule, always open) are open at `at`. */
export function isOpen(hours: OperatingHours | null, at = new Date()): boolean {
  if (!hours) return true;
  const local = localTime(at, hours.time_zone);
  const exception = hours.exceptions.find((e) => e.date === local.date);
  const periods = exception ? exception.periods : (hours.weekly[local.weekday] ?? []);
  return periods.some(([from, to]) => from <= local.clock && local.clock < to);
}
