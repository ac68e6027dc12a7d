// Reads what the auction decides on: the vertical's buyers as engine Buyers, and their counters
// (sales in the buyer's local day/week/month, duplicate within look-back). The same counter query
// runs again under the buyer's row lock at the moment of sale (sale.ts).
import {
  countBuyerSales,
  getBuyerConfigVersion,
  getVerticalAuctionTerms,
  inSnapshot,
  listActiveBuyersWithZips,
  readBuyerMoney,
  type Balances,
  type BuyerRow,
  type Db,
  type DbOrTx,
  type PersonSales,
} from "@leadflow/db";
import { duplicateLookbackStart, localPeriods, needsMoney, type Buyer, type BuyerCounters } from "@leadflow/engine";
import { toEngineBuyer } from "../buyers/mapping";
import type { VerticalChecks } from "../compliance/suppression/screen";

export type { AuctionLeadRow, BuyerRow, LeadRow, PersonSales } from "@leadflow/db";

/** Active buyers of the lead's vertical; the engine decides area, compliance, hours and caps. */
export async function loadBuyers(
  db: DbOrTx,
  vertical: string,
): Promise<{ rows: Map<string, BuyerRow>; buyers: Buyer[] }> {
  const { rows, zips } = await listActiveBuyersWithZips(db, vertical);
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
  /** The compliance screens the vertical applies (docs/compliance.md). */
  checks: VerticalChecks;
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
  const set = await inSnapshot(db, async (tx) => {
    const version = await getBuyerConfigVersion(tx);
    const [{ rows, buyers: list }, row] = await Promise.all([
      loadBuyers(tx, vertical),
      getVerticalAuctionTerms(tx, vertical),
    ]);
    return {
      version,
      rows,
      buyers: list,
      floorCents: row?.floor ?? 0,
      netOfReturns: row?.net ?? false,
      // A vertical without a row still screens against the suppression lists (the default).
      checks: {
        checkSuppression: row?.checkSuppression ?? true,
        checkDnc: row?.checkDnc ?? false,
        checkLitigator: row?.checkLitigator ?? false,
        litigatorFailOpen: row?.litigatorFailOpen ?? false,
      },
    };
  });
  // Keep the newer of two concurrent loads.
  const now = byVertical.get(vertical);
  if (!now || now.version <= set.version) byVertical.set(vertical, set);
  return set;
}

/**
 * Counters for many buyers: a copy, in SQL, of the engine's countSales, held to it by
 * sale-rules.property.test.ts. Each buyer's periods are its own local ones; a sale counts from its
 * transaction's created_at (the moment of sale). Duplicates come from `bought` (personSalesSql,
 * read by the statement that started the auction). Sales are counted only for buyers with a cap,
 * money (balance, spend: readBuyerMoney) only for buyers that keep a balance or a budget
 * (nobody else's counts decide anything), in one query, so an auction whose buyers have no caps
 * needs no query here at all; nor one whose money buyers have no budget when the start statement
 * brought their balances.
 */
export async function readCounters(
  db: DbOrTx,
  list: readonly CounterBuyer[],
  at: Date,
  bought: PersonSales,
  /**
   * The balances the statement that started the auction read (balancesSql): a buyer found there
   * with no budget needs no money query. Omitted (or a buyer missing from it): read here.
   */
  balances?: Balances,
): Promise<Record<string, BuyerCounters>> {
  const out: Record<string, BuyerCounters> = {};
  const capped: { id: string; day: string; week: string; month: string }[] = [];
  const funded: { id: string; day: string; month: string; spend: boolean }[] = [];
  for (const b of list) {
    const last = bought[b.id];
    const dup = last !== undefined && new Date(last) >= duplicateLookbackStart(at, b.duplicateLookbackDays);
    out[b.id] = { salesToday: 0, salesThisWeek: 0, salesThisMonth: 0, duplicateWithinLookback: dup };
    if (b.capDaily !== null || b.capWeekly !== null || b.capMonthly !== null) {
      const p = localPeriods(at, b.timeZone);
      capped.push({
        id: b.id,
        day: p.day.start.toISOString(),
        week: p.week.start.toISOString(),
        month: p.month.start.toISOString(),
      });
    }
    if (
      needsMoney({
        mode: b.billingMode,
        budgetDailyCents: b.budgetDailyCents,
        budgetMonthlyCents: b.budgetMonthlyCents,
      })
    ) {
      const spend = b.budgetDailyCents !== null || b.budgetMonthlyCents !== null;
      const known = balances?.[b.id];
      if (!spend && known !== undefined) {
        out[b.id]!.money = { balanceCents: Number(known), spentTodayCents: 0, spentThisMonthCents: 0 };
        continue;
      }
      const p = localPeriods(at, b.timeZone);
      funded.push({ id: b.id, day: p.day.start.toISOString(), month: p.month.start.toISOString(), spend });
    }
  }
  const [counts, money] = await Promise.all([
    capped.length === 0 ? [] : countBuyerSales(db, capped),
    funded.length === 0 ? [] : readBuyerMoney(db, funded),
  ]);
  for (const r of counts) {
    const c = out[r.buyer_id]!;
    c.salesToday = Number(r.today);
    c.salesThisWeek = Number(r.week);
    c.salesThisMonth = Number(r.month);
  }
  for (const r of money) {
    out[r.buyer_id]!.money = {
      balanceCents: Number(r.balance),
      spentTodayCents: Number(r.day),
      spentThisMonthCents: Number(r.month),
    };
  }
  return out;
}

export type CounterBuyer = Pick<
  BuyerRow,
  | "id"
  | "timeZone"
  | "duplicateLookbackDays"
  | "capDaily"
  | "capWeekly"
  | "capMonthly"
  | "billingMode"
  | "creditLimitCents"
  | "budgetDailyCents"
  | "budgetMonthlyCents"
>;
