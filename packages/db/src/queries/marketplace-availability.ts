// DJ eligibility in SQL and the availability locks. The engine's checkDJEligibility is the
// reference for selectEligibleDJs; packages/api's marketplace/eligibility.ts keeps getEligibleDJs
// (a thin call of this) and availableOn beside the property test that compares them.
import { MIN_RELIABILITY } from "@leadflow/engine";
import { and, asc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
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

/** The values one eligibility check compares against: SQL parameters, or a batch's columns. */
interface EligibilityTerms {
  city: SQL;
  eventDate: SQL;
  budgetMinCents: SQL;
  budgetMaxCents: SQL;
  leadId: SQL;
  now: SQL;
}

/**
 * Every hard filter of the seed over `djs d LEFT JOIN dj_availability a` (a = the DJ's row for
 * the date), written once for the single lead (selectEligibleDJs) and the timer sweeper's batch
 * (selectEligibleDJsForLeads).
 */
function eligibilityConditions(t: EligibilityTerms): SQL {
  return sql`d.city = ${t.city} AND d.is_active AND NOT d.is_suspended
      AND (d.cooldown_until IS NULL OR d.cooldown_until <= ${t.now})
      AND d.reliability >= ${MIN_RELIABILITY}
      AND d.price_min_cents <= coalesce(${t.budgetMaxCents}, d.price_min_cents)
      AND d.price_max_cents >= coalesce(${t.budgetMinCents}, 0)
      AND (a.status IS NULL OR a.status IN ('available', 'tentative'))
      AND (a.locked_until IS NULL OR a.locked_until <= ${t.now} OR a.locked_by_lead_id = ${t.leadId})
      AND (a.held_by_lead_id IS NULL OR a.held_by_lead_id = ${t.leadId})
      -- Busy in the DJ's own external calendar (issue #17 item 4, calendars.ts).
      AND NOT EXISTS (SELECT 1 FROM dj_external_busy x WHERE x.dj_id = d.id AND x.date = ${t.eventDate})`;
}

/**
 * Every hard filter of the seed, in routing order (score descending, then id). The partial index
 * djs_city_routing_idx serves the city/active/suspended part in that order; availability is one
 * index probe per DJ on (dj_id, date). The ORDER BY says NULLS LAST as the index does (the column
 * is NOT NULL, so the order is the same): written as plain DESC (NULLS FIRST) the index could not
 * give the order, and PostgreSQL read and sorted every DJ of the city for each lead (≈ 50 times
 * slower in a city of 10,000 DJs).
 */
export async function selectEligibleDJs(db: DbOrTx, f: EligibilityFilters): Promise<EligibleDJ[]> {
  const now = sql`${f.now.toISOString()}::timestamptz`;
  const eventDate = sql`${f.eventDate}::date`;
  const rows = await db.execute(sql`
    SELECT d.id, d.routing_score FROM djs d
    LEFT JOIN dj_availability a ON a.dj_id = d.id AND a.date = ${eventDate}
    WHERE ${eligibilityConditions({
      city: sql`${f.city}`,
      eventDate,
      budgetMinCents: sql`${f.budgetMinCents}::int`,
      budgetMaxCents: sql`${f.budgetMaxCents}::int`,
      leadId: sql`${f.leadId}::uuid`,
      now,
    })}
    ORDER BY d.routing_score DESC NULLS LAST, d.id
    ${f.limit ? sql`LIMIT ${f.limit}` : sql``}`);
  return rowsOf<{ id: string; routing_score: string | number }>(rows).map((r) => ({
    id: r.id,
    routingScore: Number(r.routing_score),
  }));
}

export interface LeadEligibilityFilters {
  leadId: string;
  city: string;
  eventDate: string;
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
  limit: number;
}

/**
 * selectEligibleDJs for many leads in one statement (the phase timer sweeper's batch): the same
 * conditions, run for each lead through a LATERAL join, each lead's list in routing order and cut
 * at its own limit. Every lead of `leads` has an entry (empty when nobody is eligible).
 */
export async function selectEligibleDJsForLeads(
  db: DbOrTx,
  leads: readonly LeadEligibilityFilters[],
  now: Date,
): Promise<Map<string, EligibleDJ[]>> {
  const out = new Map<string, EligibleDJ[]>(leads.map((l) => [l.leadId, []]));
  if (leads.length === 0) return out;
  const input = JSON.stringify(
    leads.map((l) => ({
      lead_id: l.leadId,
      city: l.city,
      event_date: l.eventDate,
      budget_min: l.budgetMinCents,
      budget_max: l.budgetMaxCents,
      lim: l.limit,
    })),
  );
  const rows = await db.execute(sql`
    SELECT l.lead_id, e.id, e.routing_score
    FROM jsonb_to_recordset(${input}::jsonb)
      AS l(lead_id uuid, city text, event_date date, budget_min int, budget_max int, lim int)
    CROSS JOIN LATERAL (
      SELECT d.id, d.routing_score FROM djs d
      LEFT JOIN dj_availability a ON a.dj_id = d.id AND a.date = l.event_date
      WHERE ${eligibilityConditions({
        city: sql`l.city`,
        eventDate: sql`l.event_date`,
        budgetMinCents: sql`l.budget_min`,
        budgetMaxCents: sql`l.budget_max`,
        leadId: sql`l.lead_id`,
        now: sql`${now.toISOString()}::timestamptz`,
      })}
      ORDER BY d.routing_score DESC NULLS LAST, d.id
      LIMIT l.lim
    ) e
    ORDER BY l.lead_id, e.routing_score DESC NULLS LAST, e.id`);
  for (const r of rowsOf<{ lead_id: string; id: string; routing_score: string | number }>(rows))
    out.get(r.lead_id)?.push({ id: r.id, routingScore: Number(r.routing_score) });
  return out;
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

/** The advisory lock's name for one (city, event date). */
export const cityDateKey = (city: string, eventDate: string) => `dj-dates:${city}:${eventDate}`;

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
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${cityDateKey(city, eventDate)}, 0))`);
}

/**
 * lockCityDate for the (city, date) pairs of a batch of leads. `wait`: each lock in one fixed
 * order (so two batches cannot each hold one the other waits for). `try`: takes what is free and
 * waits for nothing. Returns the keys (cityDateKey) it could not take; the caller leaves their
 * leads for a later pass.
 */
export async function lockCityDates(
  tx: DbOrTx,
  pairs: readonly { city: string; eventDate: string }[],
  mode: "wait" | "try",
): Promise<Set<string>> {
  const keys = [...new Set(pairs.map((p) => cityDateKey(p.city, p.eventDate)))].sort();
  const busy = new Set<string>();
  if (keys.length === 0) return busy;
  // A subquery with ORDER BY is not flattened, so the locks are taken in the keys' order.
  const rows = await tx.execute(sql`
    SELECT s.k, ${mode === "wait" ? sql`pg_advisory_xact_lock(hashtextextended(s.k, 0))::text` : sql`pg_try_advisory_xact_lock(hashtextextended(s.k, 0))`} AS ok
    FROM (SELECT k FROM jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) AS k ORDER BY k) s`);
  // Waiting, every lock was taken by the time the statement returned.
  if (mode === "try") for (const r of rowsOf<{ k: string; ok: boolean }>(rows)) if (!r.ok) busy.add(r.k);
  return busy;
}

/**
 * lockDJAvailability for many (DJ, date, lead) at once, one statement; returns the pairs that
 * won (`${leadId}:${djId}`). No (DJ, date) may appear twice in `rows`.
 */
export async function lockDJAvailabilities(
  db: DbOrTx,
  rows: readonly { djId: string; eventDate: string; leadId: string; until: Date }[],
  now: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const input = JSON.stringify(
    rows.map((r) => ({ dj_id: r.djId, date: r.eventDate, lead_id: r.leadId, until: r.until.toISOString() })),
  );
  const at = sql`${now.toISOString()}::timestamptz`;
  const won = await db.execute(sql`
    INSERT INTO dj_availability (dj_id, date, status, locked_by_lead_id, locked_until, updated_at)
    SELECT x.dj_id, x.date, 'available', x.lead_id, x.until, ${at}
    FROM jsonb_to_recordset(${input}::jsonb) AS x(dj_id uuid, date date, lead_id uuid, until timestamptz)
    ORDER BY x.dj_id, x.date
    ON CONFLICT (dj_id, date) DO UPDATE
      SET locked_by_lead_id = excluded.locked_by_lead_id, locked_until = excluded.locked_until, updated_at = excluded.updated_at
      WHERE dj_availability.status IN ('available', 'tentative')
        AND (dj_availability.held_by_lead_id IS NULL OR dj_availability.held_by_lead_id = excluded.locked_by_lead_id)
        AND (dj_availability.locked_until IS NULL OR dj_availability.locked_until <= ${at}
             OR dj_availability.locked_by_lead_id = excluded.locked_by_lead_id)
    RETURNING dj_id, locked_by_lead_id`);
  return new Set(
    rowsOf<{ dj_id: string; locked_by_lead_id: string }>(won).map((r) => `${r.locked_by_lead_id}:${r.dj_id}`),
  );
}

/** releaseDJAvailability for many (DJ, date, lead) at once: frees each date this lead holds. */
export async function releaseDJAvailabilities(
  db: DbOrTx,
  rows: readonly { djId: string; eventDate: string; leadId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const input = JSON.stringify(rows.map((r) => ({ dj_id: r.djId, date: r.eventDate, lead_id: r.leadId })));
  await db.execute(sql`
    UPDATE dj_availability a SET locked_by_lead_id = NULL, locked_until = NULL
    FROM jsonb_to_recordset(${input}::jsonb) AS x(dj_id uuid, date date, lead_id uuid)
    WHERE a.dj_id = x.dj_id AND a.date = x.date AND a.locked_by_lead_id = x.lead_id`);
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
