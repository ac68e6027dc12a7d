// Keeps the daily rollups current. A UTC day is rolled up only once nothing in it can change:
// it ended more than SETTLE_MS ago, no lead received by then is still RECEIVED or PROCESSING (its
// transactions may still be written), and, for deliveries, none owed by then is still pending or
// retrying. Each run re-rolls the last two rolled-up days as well (idempotent: delete and insert
// from raw in one transaction), so the rollup is exact for every day before `through`.
import { analyticsRollupState, type DbOrTx } from "@leadflow/db";
import { sql } from "drizzle-orm";
import { rollupTable, type RollupName } from "./aggregate";

const DAY = 86_400_000;
/** Auctions end in seconds and a dead one is swept within minutes; an hour is ample. */
export const SETTLE_MS = 60 * 60_000;
const REROLL_DAYS = 2;

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));
const minDay = (a: string, b: string) => (a < b ? a : b);

type Row = Record<string, unknown>;
const first = async (db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row | undefined> => {
  const res = (await db.execute(q)) as unknown as Row[] | { rows: Row[] };
  return (Array.isArray(res) ? res : res.rows)[0];
};
const asDay = (v: unknown): string | null => (v == null ? null : v instanceof Date ? dayOf(v) : String(v).slice(0, 10));

/** The first day that may still change, for each rollup. */
async function boundaries(db: DbOrTx, now: Date): Promise<Record<RollupName, string>> {
  const settled = dayOf(new Date(now.getTime() - SETTLE_MS));
  const row = await first(
    db,
    sql`select (select min(received_at) from leads where status in ('RECEIVED', 'PROCESSING')) as open_lead,
               (select min(created_at) from deliveries where status in ('pending', 'failed')) as open_delivery`,
  );
  const openLead = asDay(row?.open_lead);
  const openDelivery = asDay(row?.open_delivery);
  const leadBound = openLead ? minDay(settled, openLead) : settled;
  return { tx: leadBound, lead: leadBound, delivery: openDelivery ? minDay(leadBound, openDelivery) : leadBound };
}

const SOURCES: Record<RollupName, { table: string; col: string }> = {
  tx: { table: "transactions", col: "created_at" },
  lead: { table: "leads", col: "received_at" },
  delivery: { table: "deliveries", col: "created_at" },
};

export interface RollupResult {
  name: RollupName;
  from: string;
  through: string;
  rows: number;
}

/** Rolls one rollup up to `bound` (exclusive) under an advisory lock, in one transaction. */
async function rollOne(db: DbOrTx, name: RollupName, bound: string, now: Date): Promise<RollupResult> {
  const { table, agg } = rollupTable(name);
  const src = SOURCES[name];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`analytics-rollup:${name}`}))`);
    const state = await first(tx, sql`select through from analytics_rollup_state where name = ${name}`);
    const old = asDay(state?.through);
    let from: string;
    if (old) from = addDays(old, -REROLL_DAYS);
    else {
      const earliest = await first(tx, sql`select min(${sql.raw(src.col)}) as m from ${sql.raw(src.table)}`);
      from = asDay(earliest?.m) ?? bound;
    }
    from = minDay(from, bound);
    await tx.execute(sql`delete from ${sql.raw(table)} where day >= ${from}::date`);
    const lo = sql`${from}::date::timestamp at time zone 'UTC'`;
    const hi = sql`${bound}::date::timestamp at time zone 'UTC'`;
    const inserted = (await tx.execute(sql`insert into ${sql.raw(table)} ${agg(lo, hi, {})}`)) as unknown as { count?: number; affectedRows?: number };
    await tx
      .insert(analyticsRollupState)
      .values({ name, through: bound, updatedAt: now })
      .onConflictDoUpdate({ target: analyticsRollupState.name, set: { through: bound, updatedAt: now } });
    return { name, from, through: bound, rows: Number(inserted.count ?? inserted.affectedRows ?? 0) };
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
    for (const name of ["tx", "lead", "delivery"] as const) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`analytics-rollup:${name}`}))`);
    await tx.delete(analyticsRollupState);
  });
}
