// Call statistics: a DJ's own (getDJCallStats, listDjCalls) and the admin's analytics with the
// seed's call attribution target (> 40% of counted calls attributed to a lead).
import { callLeads, djs, marketLeads, type Db } from "@leadflow/db";
import type { Clock } from "@leadflow/engine";
import { and, desc, eq, gte, sql, type SQL } from "drizzle-orm";

export const CALL_ATTRIBUTION_TARGET = { value: 0.4, label: "> 40%" } as const;

function totals(where: SQL | undefined, db: Db) {
  return db
    .select({
      // Calls that ended; "counted" leaves out the ignored ones (under the ignore threshold).
      calls: sql<number>`count(*) filter (where ${callLeads.classification} is not null)::int`,
      counted: sql<number>`count(*) filter (where ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      ignored: sql<number>`count(*) filter (where ${callLeads.classification} = 'ignored')::int`,
      billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
      billedLeads: sql<number>`count(*) filter (where ${callLeads.billed})::int`,
      attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      converted: sql<number>`count(*) filter (where ${callLeads.convertedAt} is not null)::int`,
      bookingValueCents: sql<number>`coalesce(sum(${callLeads.bookingValueCents}) filter (where ${callLeads.convertedAt} is not null), 0)::bigint::float8`,
      repeatCalls: sql<number>`count(*) filter (where ${callLeads.repeatOfCallId} is not null)::int`,
      avgDurationSec: sql<number | null>`round(avg(${callLeads.durationSec}) filter (where ${callLeads.classification} in ('not_billable', 'billable')))::float8`,
    })
    .from(callLeads)
    .where(where)
    .then((r) => r[0]!);
}

function byDay(where: SQL | undefined, db: Db) {
  const day = sql<string>`to_char(${callLeads.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return db
    .select({
      day,
      calls: sql<number>`count(*) filter (where ${callLeads.classification} is not null)::int`,
      billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
      attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
    })
    .from(callLeads)
    .where(where)
    .groupBy(day)
    .orderBy(day);
}

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

export async function getDJCallStats(db: Db, clock: Clock, djId: string, daysBack = 30) {
  const since = new Date(clock.now().getTime() - daysBack * 86_400_000);
  const where = and(eq(callLeads.djId, djId), gte(callLeads.startedAt, since));
  const [t, days] = await Promise.all([totals(where, db), byDay(where, db)]);
  return { daysBack, ...t, attributionRate: rate(t.attributed, t.counted), byDay: days };
}

/** A DJ's recent calls. The caller appears only as a short tag of the keyed hash, to spot repeat callers. */
export async function listDjCalls(db: Db, djId: string, limit = 100) {
  const rows = await db
    .select({
      id: callLeads.id,
      startedAt: callLeads.startedAt,
      toNumber: callLeads.toNumber,
      status: callLeads.status,
      durationSec: callLeads.durationSec,
      classification: callLeads.classification,
      billed: callLeads.billed,
      repeat: sql<boolean>`${callLeads.repeatOfCallId} is not null`,
      callerHash: callLeads.callerHash,
      callerState: callLeads.callerState,
      attributionReason: callLeads.attributionReason,
      marketLeadId: callLeads.marketLeadId,
      leadEventType: marketLeads.eventType,
      leadEventDate: marketLeads.eventDate,
      consentMode: callLeads.consentMode,
      recordingAllowed: callLeads.recordingAllowed,
      recordingReason: callLeads.recordingReason,
      hasRecording: sql<boolean>`${callLeads.recordingUrl} is not null`,
      recordingUrl: callLeads.recordingUrl,
      convertedAt: callLeads.convertedAt,
      bookingRef: callLeads.bookingRef,
      bookingValueCents: callLeads.bookingValueCents,
    })
    .from(callLeads)
    .leftJoin(marketLeads, eq(marketLeads.id, callLeads.marketLeadId))
    .where(eq(callLeads.djId, djId))
    .orderBy(desc(callLeads.startedAt), desc(callLeads.id))
    .limit(limit);
  return rows.map(({ callerHash, ...r }) => ({ ...r, callerTag: callerHash ? callerHash.slice(0, 6) : null }));
}

/** The admin's view over all DJs for the last `daysBack` days. */
export async function callAnalytics(db: Db, clock: Clock, daysBack = 30) {
  const since = new Date(clock.now().getTime() - daysBack * 86_400_000);
  const where = gte(callLeads.startedAt, since);
  const [t, days, perDj] = await Promise.all([
    totals(where, db),
    byDay(where, db),
    db
      .select({
        djId: djs.id,
        djName: djs.name,
        city: djs.city,
        counted: sql<number>`count(*) filter (where ${callLeads.classification} in ('not_billable', 'billable'))::int`,
        billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
        attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
        converted: sql<number>`count(*) filter (where ${callLeads.convertedAt} is not null)::int`,
        bookingValueCents: sql<number>`coalesce(sum(${callLeads.bookingValueCents}), 0)::bigint::float8`,
      })
      .from(callLeads)
      .innerJoin(djs, eq(djs.id, callLeads.djId))
      .where(where)
      .groupBy(djs.id, djs.name, djs.city)
      .orderBy(desc(sql`count(*)`), djs.name)
      .limit(50),
  ]);
  return {
    daysBack,
    ...t,
    attributionRate: { value: rate(t.attributed, t.counted), target: CALL_ATTRIBUTION_TARGET.label },
    byDay: days,
    perDj,
  };
}

/** The metric the admin marketplace page shows beside the other success metrics. */
export async function callAttributionRate(db: Db, since: Date) {
  const t = await totals(gte(callLeads.startedAt, since), db);
  return { value: rate(t.attributed, t.counted), target: CALL_ATTRIBUTION_TARGET.label, attributed: t.attributed, counted: t.counted };
}
