// Every time of day the dashboard prints goes through here, so a person always reads "7:00 AM",
// never "07:00" or a 24-hour clock that depends on the browser's locale.
const TIME = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", hour12: true });
const DATE_TIME = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", hour12: true });

/** "07:00" → "7:00 AM", "19:30" → "7:30 PM", "00:00" → "12:00 AM". Text that is not HH:MM is returned as is. */
export function timeOfDay(hhmm: string): string {
  const m = /^(\d{1,2}):(\d{2})/.exec(hhmm);
  if (!m) return hhmm;
  const h = Number(m[1]) % 24;
  const min = Number(m[2]);
  return TIME.format(new Date(2000, 0, 1, h, min));
}

/** A span of opening hours: "7:00 AM – 7:00 PM"; an end before the start runs past midnight. */
export function hoursText(from: string, to: string): string {
  const crosses = to < from;
  return `${timeOfDay(from)} – ${timeOfDay(to)}${crosses ? " (next day)" : ""}`;
}

/** A moment: "Dec 2, 2026, 5:46 PM" in the viewer's time zone; "—" when there is none. */
export function dateTime(d: string | number | Date | null | undefined): string {
  if (d == null || d === "") return "—";
  const t = new Date(d);
  return Number.isNaN(t.getTime()) ? "—" : DATE_TIME.format(t);
}

const zoned = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment on the clock of a given zone (a seller's), with the zone's abbreviation so the reader
 * knows which clock: "Mar 31, 2026, 11:30 PM PDT"; "—" when there is none.
 */
export function zonedDateTime(d: string | number | Date | null | undefined, timeZone: string): string {
  if (d == null || d === "") return "—";
  const t = new Date(d);
  if (Number.isNaN(t.getTime())) return "—";
  let f = zoned.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      hour12: true,
      timeZone,
      timeZoneName: "short",
    });
    zoned.set(timeZone, f);
  }
  return f.format(t);
}
