// Call statistics: a DJ's own (getDJCallStats, listDjCalls) and the admin's analytics with the
// seed's call attribution target (> 40% of counted calls attributed to a lead).
import { getCallTotals, listCallsByDay, listCallsOfDj, listCallStatsPerDj, type Db } from "@leadflow/db";
import type { Clock } from "@leadflow/engine";

export const CALL_ATTRIBUTION_TARGET = { value: 0.4, label: "> 40%" } as const;

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

export async function getDJCallStats(db: Db, clock: Clock, djId: string, daysBack = 30) {
  const since = new Date(clock.now().getTime() - daysBack * 86_400_000);
  const scope = { djId, since };
  const [t, days] = await Promise.all([getCallTotals(db, scope), listCallsByDay(db, scope)]);
  return { daysBack, ...t, attributionRate: rate(t.attributed, t.counted), byDay: days };
}

/** A DJ's recent calls. The caller appears only as a short tag of the keyed hash, to spot repeat callers. */
export async function listDjCalls(db: Db, djId: string, limit = 100) {
  const rows = await listCallsOfDj(db, djId, limit);
  return rows.map(({ callerHash, ...r }) => ({ ...r, callerTag: callerHash ? callerHash.slice(0, 6) : null }));
}

/** The admin's view over all DJs for the last `daysBack` days. */
export async function callAnalytics(db: Db, clock: Clock, daysBack = 30) {
  const since = new Date(clock.now().getTime() - daysBack * 86_400_000);
  const scope = { since };
  const [t, days, perDj] = await Promise.all([
    getCallTotals(db, scope),
    listCallsByDay(db, scope),
    listCallStatsPerDj(db, scope),
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
  const t = await getCallTotals(db, { since });
  return {
    value: rate(t.attributed, t.counted),
    target: CALL_ATTRIBUTION_TARGET.label,
    attributed: t.attributed,
    counted: t.counted,
  };
}
