// DJ eligibility in SQL and the availability locks. The engine's checkDJEligibility is the
// reference for selectEligibleDJs; packages/api's marketplace/eligibility.ts keeps getEligibleDJs
// (a thin call of this) and availableOn beside the property test that compares them.
import { MIN_RELIABILITY } from "@leadflow/engine";
import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";
import { djAvailability } from "../schema";

export interface EligibilityFilters {
  city: string;
  eventDate: string;
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
  /** A lock or hold of this lead does not block it. */
  leadId: string | null;
  now: Date;
  limit?: number;
}

export interface EligibleDJ {
  id: string;
  routingScore: number;
}

export type DjAvailabilityRow = typeof djAvailability.$inferSelect;

/**
 * Every hard filter of the seed, in routing order (score descending, then id). The partial index
 * djs_city_routing_idx serves the city/active/suspended part in that order; availability is one
 * index probe per DJ on (dj_id, date).
 */
export async function selectEligibleDJs(db: DbOrTx, f: EligibilityFilters): Promise<EligibleDJ[]> {
  const rows = await db.execute(sql`
    SELECT d.id, d.routing_score FROM djs d
    LEFT JOIN dj_availability a ON a.dj_id = d.id AND a.date = ${f.eventDate}::date
    WHERE d.city = ${f.city} AND d.is_active AND NOT d.is_suspended
      AND (d.cooldown_until IS NULL OR d.cooldown_until <= ${f.now.toISOString()}::timestamptz)
      AND d.reliability >= ${MIN_RELIABILITY}
      AND d.price_min_cents <= coalesce(${f.budgetMaxCents}::int, d.price_min_cents)
      AND d.price_max_cents >= coalesce(${f.budgetMinCents}::int, 0)
      AND (a.status IS NULL OR a.status IN ('available', 'tentative'))
      AND (a.locked_until IS NULL OR a.locked_until <= ${f.now.toISOString()}::timestamptz OR a.locked_by_lead_id = ${f.leadId}::uuid)
      AND (a.held_by_lead_id IS NULL OR a.held_by_lead_id = ${f.leadId}::uuid)
      -- Busy in the DJ's own external calendar (issue #17 item 4, calendars.ts).
      AND NOT EXISTS (SELECT 1 FROM dj_external_busy x WHERE x.dj_id = d.id AND x.date = ${f.eventDate}::date)
    ORDER BY d.routing_score DESC, d.id
    ${f.limit ? sql`LIMIT ${f.limit}` : sql``}`);
  return rowsOf<{ id: string; routing_score: string | number }>(rows).map((r) => ({
    id: r.id,
    routingScore: Number(r.routing_score),
  }));
}

/** The availability rows of many DJs on one date (DJs without a row have none). */
export async function listDjAvailabilityOn(
  db: DbOrTx,
  djIds: string[],
  eventDate: string,
): Promise<DjAvailabilityRow[]> {
  return db
    .select()
    .from(djAvailability)
    .where(and(inArray(djAvailability.djId, djIds), eq(djAvailability.date, eventDate)));
}

/**
 * Serialises, until the transaction ends, every routing step that takes or frees DJs' dates on
 * one (city, event date): taken first (after the lead's row), so the dj_availability rows are never
 * locked in two orders at once. Each step ranks the DJs in its own snapshot while others lower the
 * scores of DJs who ignored an offer, so two steps could otherwise lock the same dates in opposite
 * orders and deadlock (issue 13). DJs live in one city, so steps of other cities or dates never
 * want the same availability rows; DJ rows themselves are locked in id order (expire.ts) and
 * FOR NO KEY UPDATE, so the foreign-key checks of offers being written never wait for them.
 */
export async function lockCityDate(tx: DbOrTx, city: string, eventDate: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`dj-dates:${city}:${eventDate}`}, 0))`);
}

/**
 * Holds the DJ's date for `leadId` until `until`, or returns false. One statement: the insert
 * creates the row for a date the DJ never touched; on conflict the update's WHERE re-checks the
 * row after any concurrent locker committed, so of many leads racing exactly one wins.
 */
export async function lockDJAvailability(
  db: DbOrTx,
  djId: string,
  eventDate: string,
  leadId: string,
  until: Date,
  now: Date,
): Promise<boolean> {
  const rows = await db.execute(sql`
    INSERT INTO dj_availability (dj_id, date, status, locked_by_lead_id, locked_until, updated_at)
    VALUES (${djId}::uuid, ${eventDate}::date, 'available', ${leadId}::uuid, ${until.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
    ON CONFLICT (dj_id, date) DO UPDATE
      SET locked_by_lead_id = excluded.locked_by_lead_id, locked_until = excluded.locked_until, updated_at = excluded.updated_at
      WHERE dj_availability.status IN ('available', 'tentative')
        AND (dj_availability.held_by_lead_id IS NULL OR dj_availability.held_by_lead_id = ${leadId}::uuid)
        AND (dj_availability.locked_until IS NULL OR dj_availability.locked_until <= ${now.toISOString()}::timestamptz
             OR dj_availability.locked_by_lead_id = ${leadId}::uuid)
    RETURNING id`);
  return rowsOf(rows).length === 1;
}

/** Frees the date if (and only if) this lead holds it: on decline, timeout, or the lead closing. */
export async function releaseDJAvailability(
  db: DbOrTx,
  djId: string,
  eventDate: string,
  leadId: string,
): Promise<boolean> {
  const rows = await db
    .update(djAvailability)
    .set({ lockedByLeadId: null, lockedUntil: null })
    .where(
      and(eq(djAvailability.djId, djId), eq(djAvailability.date, eventDate), eq(djAvailability.lockedByLeadId, leadId)),
    )
    .returning({ id: djAvailability.id });
  return rows.length === 1;
}

/** Marks the date booked for the DJ who got the booking, keeping the row's identity. */
export async function bookDJDate(db: DbOrTx, djId: string, eventDate: string, now: Date): Promise<void> {
  await db
    .insert(djAvailability)
    .values({ djId, date: eventDate, status: "booked", updatedAt: now })
    .onConflictDoUpdate({
      target: [djAvailability.djId, djAvailability.date],
      set: {
        status: "booked",
        lockedByLeadId: null,
        lockedUntil: null,
        heldByLeadId: null,
        heldAt: null,
        updatedAt: now,
      },
    });
}

/**
 * Holds the DJ's date for the lead whose offer they accepted, until the couple books someone or
 * the lead closes, or returns false when the date is not the DJ's to hold: booked, marked
 * unavailable, held for another lead, or locked for another lead's open offer. One statement on
 * the (dj, date) row, so of two leads racing for one DJ's date at most one holds it; the lock
 * this lead's offer had is replaced by the hold.
 */
export async function holdDJDate(
  db: DbOrTx,
  p: { djId: string; eventDate: string; leadId: string; now: Date },
): Promise<boolean> {
  const now = p.now.toISOString();
  const rows = await db.execute(sql`
    INSERT INTO dj_availability (dj_id, date, status, held_by_lead_id, held_at, updated_at)
    VALUES (${p.djId}::uuid, ${p.eventDate}::date, 'available', ${p.leadId}::uuid, ${now}::timestamptz, ${now}::timestamptz)
    ON CONFLICT (dj_id, date) DO UPDATE
      SET held_by_lead_id = excluded.held_by_lead_id,
          held_at = coalesce(dj_availability.held_at, excluded.held_at),
          locked_by_lead_id = NULL, locked_until = NULL, updated_at = excluded.updated_at
      WHERE dj_availability.status IN ('available', 'tentative')
        AND (dj_availability.held_by_lead_id IS NULL OR dj_availability.held_by_lead_id = ${p.leadId}::uuid)
        AND (dj_availability.locked_until IS NULL OR dj_availability.locked_until <= ${now}::timestamptz
             OR dj_availability.locked_by_lead_id = ${p.leadId}::uuid)
    RETURNING id`);
  return rowsOf(rows).length === 1;
}

/**
 * Frees every date held for the lead, except the one of `keepDjId` (the DJ the couple booked, whose
 * date the booking marks booked). Returns the DJs whose dates were freed.
 */
export async function releaseLeadHolds(db: DbOrTx, leadId: string, keepDjId: string | null): Promise<string[]> {
  const rows = await db.execute(sql`
    UPDATE dj_availability SET held_by_lead_id = NULL, held_at = NULL
    WHERE held_by_lead_id = ${leadId}::uuid AND (${keepDjId}::uuid IS NULL OR dj_id <> ${keepDjId}::uuid)
    RETURNING dj_id`);
  return rowsOf<{ dj_id: string }>(rows).map((r) => r.dj_id);
}

/** The DJs holding a date for the lead (tests, the admin's lead page). */
export async function listLeadHolds(db: DbOrTx, leadId: string) {
  return db
    .select({ djId: djAvailability.djId, date: djAvailability.date, heldAt: djAvailability.heldAt })
    .from(djAvailability)
    .where(eq(djAvailability.heldByLeadId, leadId))
    .orderBy(asc(djAvailability.djId));
}

/**
 * The DJ's own calendar entry; a date locked for an offer keeps its lock. A date held for a couple
 * the DJ quoted stays available or tentative: false (nothing written) when asked to mark it booked
 * or unavailable, since the hold ends only when the couple books or the lead closes.
 */
export async function upsertDjAvailabilityStatus(
  db: DbOrTx,
  p: { djId: string; date: string; status: DjAvailabilityRow["status"]; now: Date },
): Promise<boolean> {
  const rows = await db
    .insert(djAvailability)
    .values({ djId: p.djId, date: p.date, status: p.status, updatedAt: p.now })
    .onConflictDoUpdate({
      target: [djAvailability.djId, djAvailability.date],
      set: { status: p.status, updatedAt: p.now },
      setWhere: sql`${djAvailability.heldByLeadId} is null or ${p.status} in ('available', 'tentative')`,
    })
    .returning({ id: djAvailability.id });
  return rows.length === 1;
}

/** The DJ's calendar from `fromDay` on, at most 400 days. */
export async function listDjCalendar(db: DbOrTx, djId: string, fromDay: string) {
  return db
    .select({
      date: djAvailability.date,
      status: djAvailability.status,
      lockedUntil: djAvailability.lockedUntil,
      heldByLeadId: djAvailability.heldByLeadId,
      heldAt: djAvailability.heldAt,
    })
    .from(djAvailability)
    .where(and(eq(djAvailability.djId, djId), gte(djAvailability.date, fromDay)))
    .orderBy(asc(djAvailability.date))
    .limit(400);
}
