// Reads what the auction decides on: the vertical's buyers as engine Buyers, and their counters
// (sales in the buyer's local day/week/month, duplicate within look-back). The same counter query
// runs again under the buyer's row lock at the moment of sale (sale.ts).
import { buyerConfigVersion, buyers, buyerZips, type Db, type leads, rowsOf, verticals, type DbOrTx } from "@leadflow/db";
import { duplicateLookbackStart, localPeriods, type Buyer, type BuyerCounters } from "@leadflow/engine";
import { and, arrayContains, eq, sql, type SQL } from "drizzle-orm";
import { toEngineBuyer } from "../buyers/mapping";

export type BuyerRow = typeof buyers.$inferSelect;
export type LeadRow = typeof leads.$inferSelect;
/** What an auction reads of its lead. */
export type AuctionLeadRow = Pick<
  LeadRow,
  "id" | "vertical" | "zip" | "state" | "customFields" | "contact" | "consent" | "receivedAt" | "phoneNormalized" | "emailNormalized"
>;

/** Per buyer, the last time it bought this person (another lead with the same phone or email). */
export type PersonSales = Record<string, string>;

/**
 * A subquery for the statement that starts an auction: who bought this person before, and when
 * (jsonb {buyerId: lastSale}). It starts from the person's other leads by phone and by email
 * (indexed; usually none), so its cost does not grow with anyone's history.
 */
export function personSalesSql(leadId: SQL, phone: SQL, email: SQL): SQL {
  // LATERAL … OFFSET 0 keeps the plan starting from the person's leads, never from all sales.
  return sql`(select coalesce(jsonb_object_agg(x.buyer_id, x.last_sale), '{}'::jsonb) from (
      select t.buyer_id, max(t.created_at) as last_sale
      from (select d.id from leads d where d.phone_normalized = ${phone} and d.id is distinct from ${leadId}
            union select d.id from leads d where d.email_normalized = ${email} and d.id is distinct from ${leadId}) p
      cross join lateral (select w.buyer_id, w.created_at from transactions w where w.lead_id = p.id and w.is_winner offset 0) t
      group by t.buyer_id) x)`;
}

/** Active buyers of the lead's vertical; the engine decides area, compliance, hours and caps. */
export async function loadBuyers(db: DbOrTx, vertical: string): Promise<{ rows: Map<string, BuyerRow>; buyers: Buyer[] }> {
  // Buyers and their zips in parallel (one round trip, not two): the zips query joins on the same filter.
  const active = and(eq(buyers.active, true), arrayContains(buyers.verticals, [vertical]));
  const [rows, zips] = await Promise.all([
    db.select().from(buyers).where(active),
    db
      .select({ buyerId: buyerZips.buyerId, zip: buyerZips.zip, priority: buyerZips.priority, maxBidCents: buyerZips.maxBidCents })
      .from(buyerZips)
      .innerJoin(buyers, eq(buyers.id, buyerZips.buyerId))
      .where(active),
  ]);
  const byBuyer = new Map<string, { zip: string; priority: number; maxBidCents: number | null }[]>();
  for (const z of zips) {
    const list = byBuyer.get(z.buyerId) ?? [];
    list.push({ zip: z.zip, priority: z.priority, maxBidCents: z.maxBidCents });
    byBuyer.set(z.buyerId, list);
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    rows: new Map(rows.map((r) => [r.id, r])),
    buyers: rows.map((r) => toEngineBuyer(r, byBuyer.get(r.id) ?? [])),
  };
}

/** A vertical's buyers and floor, as of one buyer-configuration version. */
export interface BuyerSet {
  version: number;
  rows: Map<string, BuyerRow>;
  buyers: Buyer[];
  floorCents: number;
  /** The vertical ranks network bids net of each network's return rate (docs/returns.md). */
  netOfReturns: boolean;
}

// Per database handle, per vertical: the last set loaded. A set is used only for the version it
// was read at, so a change to any buyer, zip or vertical (which bumps the version in the same
// transaction) is seen by the very next auction.
const sets = new WeakMap<object, Map<string, BuyerSet>>();

/**
 * The vertical's buyer set at `version` (read by the caller in the statement that started the
 * auction): from memory when nothing changed since it was loaded, else loaded in one snapshot
 * together with the version it belongs to.
 */
export async function buyerSet(db: Db, vertical: string, version: number): Promise<BuyerSet> {
  let byVertical = sets.get(db);
  if (!byVertical) sets.set(db, (byVertical = new Map()));
  const hit = byVertical.get(vertical);
  if (hit && hit.version === version) return hit;
  const set = await db.transaction(
    async (tx) => {
      const [v] = await tx.select({ version: buyerConfigVersion.version }).from(buyerConfigVersion).where(eq(buyerConfigVersion.id, 1));
      const [{ rows, buyers: list }, [row]] = await Promise.all([
        loadBuyers(tx, vertical),
        tx.select({ floor: verticals.floorCents, net: verticals.rankNetOfReturns }).from(verticals).where(eq(verticals.key, vertical)),
      ]);
      return { version: v?.version ?? 0, rows, buyers: list, floorCents: row?.floor ?? 0, netOfReturns: row?.net ?? false };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  // Keep the newer of two concurrent loads.
  const now = byVertical.get(vertical);
  if (!now || now.version <= set.version) byVertical.set(vertical, set);
  return set;
}

interface CounterRow {
  buyer_id: string;
  today: number | string;
  week: number | string;
  month: number | string;
}

/**
 * Counters for many buyers: a copy, in SQL, of the engine's countSales, held to it by
 * sale-rules.property.test.ts. Each buyer's periods are its own local ones; a sale counts from its
 * transaction's created_at (the moment of sale). Duplicates come from `bought` (personSalesSql,
 * read by the statement that started the auction). Sales are counted only for buyers with a cap
 * (nobody else's counts decide anything), in one query, so an auction whose buyers have no caps
 * needs no query here at all.
 */
export async function readCounters(db: DbOrTx, list: readonly CounterBuyer[], at: Date, bought: PersonSales): Promise<Record<string, BuyerCounters>> {
  const out: Record<string, BuyerCounters> = {};
  const capped: { id: string; day: string; week: string; month: string }[] = [];
  for (const b of list) {
    const last = bought[b.id];
    const dup = last !== undefined && new Date(last) >= duplicateLookbackStart(at, b.duplicateLookbackDays);
    out[b.id] = { salesToday: 0, salesThisWeek: 0, salesThisMonth: 0, duplicateWithinLookback: dup };
    if (b.capDaily !== null || b.capWeekly !== null || b.capMonthly !== null) {
      const p = localPeriods(at, b.timeZone);
      capped.push({ id: b.id, day: p.day.start.toISOString(), week: p.week.start.toISOString(), month: p.month.start.toISOString() });
    }
  }
  if (capped.length === 0) return out;
  const res = await db.execute(sql`
    select p.buyer_id,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.day_start) as today,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.week_start) as week,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.month_start) as month
    from unnest(${pgArray(capped.map((c) => c.id))}::uuid[], ${pgArray(capped.map((c) => c.day))}::timestamptz[],
      ${pgArray(capped.map((c) => c.week))}::timestamptz[], ${pgArray(capped.map((c) => c.month))}::timestamptz[])
      as p(buyer_id, day_start, week_start, month_start)`);
  for (const r of rowsOf<CounterRow>(res)) {
    const c = out[r.buyer_id]!;
    c.salesToday = Number(r.today);
    c.salesThisWeek = Number(r.week);
    c.salesThisMonth = Number(r.month);
  }
  return out;
}

export type CounterBuyer = Pick<BuyerRow, "id" | "timeZone" | "duplicateLookbackDays" | "capDaily" | "capWeekly" | "capMonthly">;

/** A text[] literal; the values are uuids and ISO instants, so no quoting is needed beyond this. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "")}"`).join(",")}}`;
}
