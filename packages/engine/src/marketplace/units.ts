import { MarketplaceError } from "./errors";

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/**
 * Scores keep one decimal: fine enough to separate DJs, coarse enough that a stored score
 * (numeric(5,1)) replays to the same value. Summing rounded parts and rounding again keeps
 * float noise (0.1 + 0.2) out of totals.
 */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

/** Money is integer cents; anything else is a caller bug we refuse rather than round. */
export function assertCents(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MarketplaceError("INVALID_INPUT", `${field} must be a whole, non-negative number of cents.`, field);
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses an event date "YYYY-MM-DD" to its UTC midnight in ms. Event dates are calendar days,
 * not instants, so they never carry a time or zone.
 */
export function parseEventDate(date: string, field = "eventDate"): number {
  const m = ISO_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new MarketplaceError("INVALID_INPUT", "The event date must be a real date written YYYY-MM-DD.", field);
  }
  return ms;
}

/**
 * Whole calendar days from today to the event, both taken as UTC dates. The city's time zone
 * can move "today" by one day near midnight; the tables' bands are wide enough not to care.
 */
export function daysUntil(eventDate: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((parseEventDate(eventDate) - today) / MS_PER_DAY);
}

/** Membership test that narrows, for values arriving from the database or a form. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
