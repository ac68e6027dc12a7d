// Keeps the daily rollups current. A UTC day is rolled up only once nothing in it can change:
// it ended more than SETTLE_MS ago, no lead received by then is still RECEIVED or PROCESSING (its
// transactions may still be written), and, for deliveries, none owed by then is still pending or
// retrying. Each run re-rolls the last two rolled-up days as well (idempotent: delete and insert
// from raw in one transaction), so the rollup is exact for every day before `through`.
import {
  deleteRollupStates,
  getEarliestRollupSource,
  getRollupThrough,
  lockRollup,
  rebuildRollupDays,
  selectOldestOpenWork,
  upsertRollupThrough,
  type DbOrTx,
  type RollupName,
} from "@leadflow/db";

const DAY = 86_400_000;
/** Auctions end in seconds and a dead one is swept within minutes; an hour is ample. */
export const SETTLE_MS = 60 * 60_000;
const REROLL_DAYS = 2;

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));
const minDay = (a: string, b: string) => (a < b ? a : b);

const asDay = (v: unknown): string | null => (v == null ? null : v instanceof Date ? dayOf(v) : String(v).slice(0, 10));

/** The first day that may still change, for each rollup. */
async function boundaries(db: DbOrTx, now: Date): Promise<Record<RollupName, string>> {
  const settled = dayOf(new Date(now.getTime() - SETTLE_MS));
  const open = await selectOldestOpenWork(db);
  const openLead = asDay(open.openLead);
  const openDelivery = asDay(open.openDelivery);
  const leadBound = openLead ? minDay(settled, openLead) : settled;
  return { tx: leadBound, lead: leadBound, delivery: openDelivery ? minDay(leadBound, openDelivery) : leadBound };
}

export interface RollupResult {
  name: RollupName;
  from: string;
  through: string;
  rows: number;
}

/** Rolls one rollup up to `bound` (exclusive) under an advisory lock, in one transaction. */
async function rollOne(db: DbOrTx, name: RollupName, bound: string, now: Date): Promise<RollupResult> {
  return db.transaction(async (tx) => {
    await lockRollup(tx, name);
    const old = asDay(await getRollupThrough(tx, name));
    let from: string;
    if (old) from = addDays(old, -REROLL_DAYS);
    else from = asDay(await getEarliestRollupSource(tx, name)) ?? bound;
    from = minDay(from, bound);
    const rows = await rebuildRollupDays(tx, name, from, bound);
    await upsertRollupThrough(tx, name, bound, now);
    return { name, from, through: bound, rows };
  });
}

/** One pass of the analytics-rollup job over every rollup. */
export async function rollupAnalytics(db: DbOrTx, now: Date): Promise<RollupResult[]> {
  const bounds = await boundaries(db, now);
  const out: RollupResult[] = [];
  for (const name of ["tx", "lead", "delivery"] as const) out.push(await rollOne(db, name, bounds[name], now));
  return out;
}

/**
 * After history is written into days already rolled up (a seed, an import, a restore): forget
 * every rollup's reach, waiting for a running job first. Charts read the raw rows at once; the
 * next job run rebuilds the rollups from the first day.
 */
export async function resetRollups(db: DbOrTx): Promise<void> {
  await db.transaction(async (tx) => {
    for (const name of ["tx", "lead", "delivery"] as const) await lockRollup(tx, name);
    await deleteRollupStates(tx);
  });
}
