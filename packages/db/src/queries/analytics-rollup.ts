// The rollup job's statements: which days may still change, the per-rollup advisory lock, and the
// delete-and-insert of a range of days from the raw rows (the same aggregation the charts' live
// tail runs), with the rollup's reach in analytics_rollup_state.
import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import { analyticsRollupState } from "../schema";
import { rollupTable, type RollupName } from "./analytics-aggregate";

type Row = Record<string, unknown>;
const first = async (db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row | undefined> => {
  const res = (await db.execute(q)) as unknown as Row[] | { rows: Row[] };
  return (Array.isArray(res) ? res : res.rows)[0];
};

/** The oldest lead still RECEIVED or PROCESSING and the oldest delivery still pending or failed (raw driver values). */
export async function selectOldestOpenWork(db: DbOrTx): Promise<{ openLead: unknown; openDelivery: unknown }> {
  const row = await first(
    db,
    sql`select (select min(received_at) from leads where status in ('RECEIVED', 'PROCESSING')) as open_lead,
               (select min(created_at) from deliveries where status in ('pending', 'failed')) as open_delivery`,
  );
  return { openLead: row?.open_lead, openDelivery: row?.open_delivery };
}

/** One rollup job at a time per rollup, until the transaction ends. */
export async function lockRollup(tx: Tx, name: RollupName): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`analytics-rollup:${name}`}))`);
}

/** The first day not in the rollup (raw driver value), or undefined before its first run. */
export async function getRollupThrough(tx: DbOrTx, name: RollupName): Promise<unknown> {
  const state = await first(tx, sql`select through from analytics_rollup_state where name = ${name}`);
  return state?.through;
}

const SOURCES: Record<RollupName, { table: string; col: string }> = {
  tx: { table: "transactions", col: "created_at" },
  lead: { table: "leads", col: "received_at" },
  delivery: { table: "deliveries", col: "created_at" },
};

/** The earliest time in the rollup's raw table (raw driver value), or undefined when it is empty. */
export async function getEarliestRollupSource(tx: DbOrTx, name: RollupName): Promise<unknown> {
  const src = SOURCES[name];
  const earliest = await first(tx, sql`select min(${sql.raw(src.col)}) as m from ${sql.raw(src.table)}`);
  return earliest?.m;
}

/** Rebuilds the rollup's days [from, bound) from the raw rows: deletes from `from` on, inserts the range; answers the rows inserted. */
export async function rebuildRollupDays(tx: Tx, name: RollupName, from: string, bound: string): Promise<number> {
  const { table, agg } = rollupTable(name);
  await tx.execute(sql`delete from ${sql.raw(table)} where day >= ${from}::date`);
  const lo = sql`${from}::date::timestamp at time zone 'UTC'`;
  const hi = sql`${bound}::date::timestamp at time zone 'UTC'`;
  const inserted = (await tx.execute(sql`insert into ${sql.raw(table)} ${agg(lo, hi, {})}`)) as unknown as {
    count?: number;
    affectedRows?: number;
  };
  return Number(inserted.count ?? inserted.affectedRows ?? 0);
}

export async function upsertRollupThrough(tx: Tx, name: RollupName, through: string, now: Date): Promise<void> {
  await tx
    .insert(analyticsRollupState)
    .values({ name, through, updatedAt: now })
    .onConflictDoUpdate({ target: analyticsRollupState.name, set: { through, updatedAt: now } });
}

/** Forgets every rollup's reach (the rows stay until the next run rebuilds them). */
export async function deleteRollupStates(tx: Tx): Promise<void> {
  await tx.delete(analyticsRollupState);
}
