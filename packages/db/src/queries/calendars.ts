// DJs' calendars (issue #17 item 4): the private feed's token, the external feed's URL and the
// busy days read from it, and the dates a feed lists (held and booked).
import { and, eq, gt, gte, isNotNull, or, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import { djAvailability, djCalendars, djExternalBusy, djs } from "../schema";

export type DjCalendarRow = typeof djCalendars.$inferSelect;

export async function getDjCalendar(db: DbOrTx, djId: string): Promise<DjCalendarRow | undefined> {
  const [row] = await db.select().from(djCalendars).where(eq(djCalendars.djId, djId));
  return row;
}

/** The DJ's calendar row, made with `token` when there is none yet (concurrent callers get one row). */
export async function ensureDjCalendar(db: DbOrTx, djId: string, token: string, now: Date): Promise<DjCalendarRow> {
  await db.insert(djCalendars).values({ djId, feedToken: token, feedRotatedAt: now }).onConflictDoNothing();
  return (await getDjCalendar(db, djId))!;
}

export async function rotateDjFeedToken(db: DbOrTx, djId: string, token: string, now: Date): Promise<void> {
  await db
    .insert(djCalendars)
    .values({ djId, feedToken: token, feedRotatedAt: now })
    .onConflictDoUpdate({ target: djCalendars.djId, set: { feedToken: token, feedRotatedAt: now } });
}

export async function findDjByFeedToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ djId: djCalendars.djId, name: djs.name })
    .from(djCalendars)
    .innerJoin(djs, eq(djs.id, djCalendars.djId))
    .where(eq(djCalendars.feedToken, token));
  return row;
}

export async function setDjExternalUrl(db: DbOrTx, djId: string, url: string | null, token: string, now: Date) {
  await db
    .insert(djCalendars)
    .values({ djId, feedToken: token, feedRotatedAt: now, externalUrl: url })
    .onConflictDoUpdate({
      target: djCalendars.djId,
      set: { externalUrl: url, externalError: null, externalFetchedAt: null },
    });
  if (!url) await db.delete(djExternalBusy).where(eq(djExternalBusy.djId, djId));
}

export async function listExternalCalendars(db: DbOrTx) {
  return db
    .select({ djId: djCalendars.djId, url: djCalendars.externalUrl })
    .from(djCalendars)
    .where(isNotNull(djCalendars.externalUrl));
}

/** A good fetch: the DJ's busy days become exactly `dates`. */
export async function replaceDjExternalBusy(tx: Tx, djId: string, dates: string[], now: Date): Promise<void> {
  await tx.delete(djExternalBusy).where(eq(djExternalBusy.djId, djId));
  if (dates.length) await tx.insert(djExternalBusy).values(dates.map((date) => ({ djId, date })));
  await tx.update(djCalendars).set({ externalFetchedAt: now, externalError: null }).where(eq(djCalendars.djId, djId));
}

export async function setDjExternalError(db: DbOrTx, djId: string, error: string, now: Date): Promise<void> {
  await db
    .update(djCalendars)
    .set({ externalFetchedAt: now, externalError: error.slice(0, 500) })
    .where(eq(djCalendars.djId, djId));
}

export async function listDjExternalBusy(db: DbOrTx, djId: string, fromDay: string): Promise<string[]> {
  const rows = await db
    .select({ date: djExternalBusy.date })
    .from(djExternalBusy)
    .where(and(eq(djExternalBusy.djId, djId), gte(djExternalBusy.date, fromDay)))
    .orderBy(djExternalBusy.date);
  return rows.map((r) => r.date);
}

/**
 * The DJ's booked dates and dates held for a lead (a quote accepted, holds.ts, or an offer's lock
 * still running), from `fromDay` on.
 */
export async function listDjFeedDates(db: DbOrTx, djId: string, fromDay: string, now: Date) {
  return db
    .select({ date: djAvailability.date, status: djAvailability.status, lockedUntil: djAvailability.lockedUntil })
    .from(djAvailability)
    .where(
      and(
        eq(djAvailability.djId, djId),
        gte(djAvailability.date, fromDay),
        or(
          eq(djAvailability.status, "booked"),
          isNotNull(djAvailability.heldByLeadId),
          gt(djAvailability.lockedUntil, sql`${now.toISOString()}::timestamptz`),
        ),
      ),
    )
    .orderBy(djAvailability.date);
}
