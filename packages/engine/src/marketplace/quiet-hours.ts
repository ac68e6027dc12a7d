// A DJ's quiet hours: a wall-clock span in the DJ's own time zone during which nothing is sent.
// Judged on the local clock (Intl), so the span keeps its meaning across DST changes.
import { localParts, parseHm, zonedWallToUtc } from "../auction/time";

export interface QuietHours {
  /** "HH:MM", local. */
  start: string;
  /** "HH:MM", local; not after start means the span runs past midnight (22:00 → 07:00). */
  end: string;
  timeZone: string;
}

/**
 * The instant the quiet hours that `now` falls in end, or null when `now` is not quiet (or there
 * are no quiet hours: none set, malformed, or start equal to end).
 */
export function quietHoursEnd(now: Date, q: QuietHours | null | undefined): Date | null {
  if (!q) return null;
  const s = parseHm(q.start);
  const e = parseHm(q.end);
  if (s === null || e === null || s === e) return null;
  const p = localParts(now, q.timeZone);
  const m = p.hour * 60 + p.minute;
  const endOn = (dayOffset: number) =>
    new Date(zonedWallToUtc(Date.UTC(p.year, p.month - 1, p.day + dayOffset, 0, e), q.timeZone));
  if (s < e) return m >= s && m < e ? endOn(0) : null;
  if (m >= s) return endOn(1);
  if (m < e) return endOn(0);
  return null;
}
