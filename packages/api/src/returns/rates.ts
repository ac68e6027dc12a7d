// Return rates: approved returns per lead bought over the last RETURN_RATE_DAYS, by buyer and by
// lead source (the seller org), for the admin, the buyer (its own buyers) and the seller (its own
// leads). The same numbers feed buyers.return_rate_bp, which the auction can rank network bids by
// (verticals.rank_net_of_returns, off by default; see docs/returns.md).
import { buyers, leads, orgs, returnCredits, returnRequests, transactions, verticals, type DbOrTx } from "@leadflow/db";
import { RETURN_RATE_DAYS, returnRateBp } from "@leadflow/engine";
import { and, eq, gte, inArray, sql, type SQL } from "drizzle-orm";

const DAY_MS = 86_400_000;

export type RateScope = { kind: "admin" } | { kind: "buyer"; orgId: string } | { kind: "seller"; orgId: string };

const counts = {
  purchases: sql<number>`count(${transactions.id})`.mapWith(Number),
  requested: sql<number>`count(${returnRequests.id})`.mapWith(Number),
  approved: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'APPROVED')`.mapWith(Number),
  pending: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'PENDING')`.mapWith(Number),
  creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
};

function scoped(scope: RateScope): SQL | undefined {
  if (scope.kind === "buyer") return eq(buyers.orgId, scope.orgId);
  if (scope.kind === "seller") return eq(leads.sellerOrgId, scope.orgId);
  return undefined;
}

export async function returnRates(db: DbOrTx, scope: RateScope, now: Date) {
  const since = new Date(now.getTime() - RETURN_RATE_DAYS * DAY_MS);
  const sales = and(eq(transactions.isWinner, true), gte(transactions.createdAt, since), scoped(scope));
  const base = () =>
    db
      .select({ ...counts })
      .from(transactions)
      .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
      .innerJoin(leads, eq(leads.id, transactions.leadId))
      .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
      .leftJoin(returnCredits, eq(returnCredits.saleId, transactions.id))
      .where(sales)
      .$dynamic();
  const byBuyer = await db
    .select({ buyerId: buyers.id, buyer: buyers.name, type: buyers.type, ...counts })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
    .leftJoin(returnCredits, eq(returnCredits.saleId, transactions.id))
    .where(sales)
    .groupBy(buyers.id, buyers.name, buyers.type)
    .orderBy(buyers.name);
  const bySource = await db
    .select({ sourceOrgId: orgs.id, source: orgs.name, ...counts })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .innerJoin(orgs, eq(orgs.id, leads.sellerOrgId))
    .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
    .leftJoin(returnCredits, eq(returnCredits.saleId, transactions.id))
    .where(sales)
    .groupBy(orgs.id, orgs.name)
    .orderBy(orgs.name);
  const [total] = await base();
  const withRate = <T extends { approved: number; purchases: number }>(r: T) => ({ ...r, rateBp: returnRateBp(r.approved, r.purchases) });
  return {
    days: RETURN_RATE_DAYS,
    since,
    total: withRate(total ?? { purchases: 0, requested: 0, approved: 0, pending: 0, creditedCents: 0 }),
    byBuyer: byBuyer.map(withRate),
    bySource: bySource.map(withRate),
  };
}

/**
 * Recomputes buyers.return_rate_bp (all buyers, or the ones given) from the last RETURN_RATE_DAYS
 * of sales. Called after each approval and hourly by a pg-boss schedule, since new sales move it too.
 */
export async function refreshReturnRates(db: DbOrTx, now: Date, buyerIds?: readonly string[]): Promise<number> {
  const since = new Date(now.getTime() - RETURN_RATE_DAYS * DAY_MS);
  const rows = await db
    .select({
      id: buyers.id,
      current: buyers.returnRateBp,
      purchases: sql<number>`count(${transactions.id})`.mapWith(Number),
      approved: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'APPROVED')`.mapWith(Number),
    })
    .from(buyers)
    .leftJoin(transactions, and(eq(transactions.buyerId, buyers.id), eq(transactions.isWinner, true), gte(transactions.createdAt, since)))
    .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
    .where(buyerIds ? inArray(buyers.id, [...buyerIds]) : undefined)
    .groupBy(buyers.id, buyers.returnRateBp);
  const changed = rows.map((r) => ({ id: r.id, bp: returnRateBp(r.approved, r.purchases) })).filter((r, i) => r.bp !== rows[i]!.current);
  if (changed.length === 0) return 0;
  // One statement for all changed buyers: every write to buyers bumps the auction's buyer
  // configuration version (its cache reloads), so this costs one reload, not one per buyer.
  const ids = `{${changed.map((c) => c.id).join(",")}}`;
  const bps = `{${changed.map((c) => (c.bp === null ? "NULL" : String(c.bp))).join(",")}}`;
  await db.execute(sql`
    update buyers set return_rate_bp = v.bp
    from unnest(${ids}::uuid[], ${bps}::int[]) as v(id, bp)
    where buyers.id = v.id`);
  return changed.length;
}

/**
 * Whether the auction ranks this vertical's network bids net of return rates. The auction's
 * buyer set (auction/load.ts buyerSet) can read verticals.rankNetOfReturns beside the floor it
 * already reads and pass it as conductAuction's `netOfReturns`; this is the same read on its own.
 */
export async function rankNetOfReturns(db: DbOrTx, vertical: string): Promise<boolean> {
  const [v] = await db.select({ on: verticals.rankNetOfReturns }).from(verticals).where(eq(verticals.key, vertical));
  return v?.on ?? false;
}
