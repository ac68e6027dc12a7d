/**
 * A buyer's local calendar, from Intl alone. Caps count sales in the buyer's own day, week and
 * month, and hours of operation are wall-clock times, so both are computed from local fields of
 * the instant rather than by adding fixed offsets (which breaks twice a year at DST).
 */
import { WEEKDAYS, type HoursOfOperation, type Weekday } from "./types";

const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  second: number;
  weekday: Weekday;
}

// Building a DateTimeFormat is costly and the set of buyer zones is small, so cache them.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone; callers validate buyer config with it. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// formatToParts is the auction's hottest call (hours and caps of every buyer, every lead), so the
// last minute's answer is kept per zone. Zone offsets change only on whole minutes (every
// transition since 1900), so within one UTC minute only the seconds differ.
const lastMinute = new Map<string, { minute: number; parts: LocalParts }>();

export function localParts(at: Date | number, timeZone: string): LocalParts {
  const ms = typeof at === "number" ? at : at.getTime();
  const minute = Math.floor(ms / 60_000);
  const hit = lastMinute.get(timeZone);
  const second = Math.floor((ms - minute * 60_000) / 1000);
  if (hit && hit.minute === minute) return { ...hit.parts, second };
  const parts = computeLocalParts(ms, timeZone);
  if (Number.isFinite(minute)) lastMinute.set(timeZone, { minute, parts });
  return parts;
}

function computeLocalParts(at: number, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) out[p.type] = p.value;
  const weekday = (out.weekday ?? "").toLowerCase().slice(0, 3) as Weekday;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS.includes(weekday) ? weekday : "sun",
  };
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall-clock time (given as if it were UTC) happens in the zone. An ambiguous
 * time (DST fall-back) resolves to the earlier instant; a skipped one (spring-forward) to the
 * moment the clock jumps over it, which is what "start of day" must mean on such a day.
 */
export function zonedWallToUtc(wallAsUtcMs: number, timeZone: string): number {
  const before = offsetMs(wallAsUtcMs - DAY_MS, timeZone);
  const after = offsetMs(wallAsUtcMs + DAY_MS, timeZone);
  const candidates = [...new Set([wallAsUtcMs - before, wallAsUtcMs - after])].sort((a, b) => a - b);
  for (const c of candidates) if (offsetMs(c, timeZone) === wallAsUtcMs - c) return c;
  return wallAsUtcMs - Math.min(before, after);
}

export interface Period {
  start: Date;
  end: Date; // exclusive
  /** Local date the period starts on, "YYYY-MM-DD": a stable key for counter rows. */
  key: string;
}

export interface LocalPeriods {
  day: Period;
  week: Period;
  month: Period;
}

function civilKey(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.toISOString().slice(0, 10);
}

function periodFrom(y: number, m: number, d: number, next: [number, number, number], tz: string): Period {
  return {
    start: new Date(zonedWallToUtc(Date.UTC(y, m - 1, d), tz)),
    end: new Date(zonedWallToUtc(Date.UTC(next[0], next[1] - 1, next[2]), tz)),
    key: civilKey(y, m, d),
  };
}

/**
 * The buyer's local day, ISO week (Monday first) and month containing the instant. A 23- or
 * 25-hour DST day comes out as 23 or 25 hours long.
 */
// The periods hold for the whole local day, so the last answer per zone is reused inside it.
const lastPeriods = new Map<string, LocalPeriods>();

export function localPeriods(at: Date, timeZone: string): LocalPeriods {
  const t = at.getTime();
  const hit = lastPeriods.get(timeZone);
  if (hit && hit.day.start.getTime() <= t && t < hit.day.end.getTime()) return hit;
  const periods = computeLocalPeriods(at, timeZone);
  lastPeriods.set(timeZone, periods);
  return periods;
}

function computeLocalPeriods(at: Date, timeZone: string): LocalPeriods {
  const p = localParts(at, timeZone);
  const sinceMonday = (WEEKDAYS.indexOf(p.weekday) + 6) % 7;
  // Date.UTC normalises day overflow, so civil date arithmetic needs no calendar tables.
  const civil = (y: number, m: number, d: number): [number, number, number] => {
    const t = new Date(Date.UTC(y, m - 1, d));
    return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  };
  const weekStart = civil(p.year, p.month, p.day - sinceMonday);
  return {
    day: periodFrom(p.year, p.month, p.day, civil(p.year, p.month, p.day + 1), timeZone),
    week: periodFrom(...weekStart, civil(weekStart[0], weekStart[1], weekStart[2] + 7), timeZone),
    month: periodFrom(p.year, p.month, 1, civil(p.year, p.month + 1, 1), timeZone),
  };
}

/** The earliest sale time a duplicate search looks at: look-back days are 24-hour days. */
export function duplicateLookbackStart(at: Date, days: number): Date {
  return new Date(at.getTime() - Math.max(0, days) * DAY_MS);
}

const HM = /^(\d{2}):(\d{2})$/;

/** "HH:MM" → minutes since midnight; "24:00" → 1440; anything else → null. */
export function parseHm(text: string): number | null {
  const m = HM.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/**
 * Whether an opening runs past midnight into the next day (["18:00","09:00"]): its end is not after
 * its start. Such hours are legal, but a form takes them only when the person says so, because
 * "18:00 to 09:00" is as often a slip for "09:00 to 18:00" as a night shift.
 */
export function crossesMidnight([start, end]: readonly [string, string]): boolean {
  const s = parseHm(start);
  const e = parseHm(end);
  return s !== null && e !== null && e <= s;
}

/** The weekdays with an opening that runs past midnight, in WEEKDAYS order. */
export function overnightDays(hours: HoursOfOperation | null | undefined): Weekday[] {
  if (!hours) return [];
  return WEEKDAYS.filter((d) => (hours[d] ?? []).some(crossesMidnight));
}

/**
 * Whether the buyer is open at the instant, judged on its wall clock. Malformed intervals count as
 * closed: a config typo must not make a buyer buy at 3 am.
 */
export function withinHours(at: Date, timeZone: string, hours: HoursOfOperation | null | undefined): boolean {
  if (!hours) return true;
  const p = localParts(at, timeZone);
  const now = p.hour * 60 + p.minute;
  const today = WEEKDAYS.indexOf(p.weekday);
  const yesterday = WEEKDAYS[(today + 6) % 7] ?? "sun";
  for (const [s, e] of hours[p.weekday] ?? []) {
    const start = parseHm(s);
    const end = parseHm(e);
    if (start === null || end === null) continue;
    if (end > start ? now >= start && now < end : now >= start) return true;
  }
  // Yesterday's overnight intervals spill into the small hours of today.
  for (const [s, e] of hours[yesterday] ?? []) {
    const start = parseHm(s);
    const end = parseHm(e);
    if (start === null || end === null) continue;
    if (end <= start && now < end) return true;
  }
  return false;
}
