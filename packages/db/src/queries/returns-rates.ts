// Return rates: approved returns per winning sale since a day, by buyer and by lead source, and
// the stored buyers.return_rate_bp the auction may rank network bids by.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { buyers, leads, orgs, returnCredits, returnRequests, transactions, verticals } from "../schema";
import { returnScopeFilter, type ReturnScope } from "./returns";

const counts = {
  purchases: sql<number>`count(${transactions.id})`.mapWith(Number),
  requested: sql<number>`count(${returnRequests.id})`.mapWith(Number),
  approved: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'APPROVED')`.mapWith(
    Number,
  ),
  pending: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'PENDING')`.mapWith(Number),
  creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
};

/** Sales since `since` in the scope, with their returns and credits: in total, by buyer, by source. */
export async function countReturnsBySale(db: DbOrTx, scope: ReturnScope, since: Date) {
  const sales = and(eq(transactions.isWinner, true), gte(transactions.createdAt, since), returnScopeFilter(scope));
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
  return { total, byBuyer, bySource };
}

/** Each buyer's (all, or the ones given) stored rate and its winning sales and approved returns since `since`. */
export async function listBuyerReturnCounts(db: DbOrTx, since: Date, buyerIds?: readonly string[]) {
  return db
    .select({
      id: buyers.id,
      current: buyers.returnRateBp,
      purchases: sql<number>`count(${transactions.id})`.mapWith(Number),
      approved: sql<number>`count(${returnRequests.id}) filter (where ${returnRequests.status} = 'APPROVED')`.mapWith(
        Number,
      ),
    })
    .from(buyers)
    .leftJoin(
      transactions,
      and(eq(transactions.buyerId, buyers.id), eq(transactions.isWinner, true), gte(transactions.createdAt, since)),
    )
    .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
    .where(buyerIds ? inArray(buyers.id, [...buyerIds]) : undefined)
    .groupBy(buyers.id, buyers.returnRateBp);
}

/**
 * One statement for all changed buyers: every write to buyers bumps the auction's buyer
 * configuration version (its cache reloads), so this costs one reload, not one per buyer.
 */
export async function updateBuyerReturnRates(
  db: DbOrTx,
  changed: readonly { id: string; bp: number | null }[],
): Promise<void> {
  const ids = `{${changed.map((c) => c.id).join(",")}}`;
  const bps = `{${changed.map((c) => (c.bp === null ? "NULL" : String(c.bp))).join(",")}}`;
  await db.execute(sql`
    update buyers set return_rate_bp = v.bp
    from unnest(${ids}::uuid[], ${bps}::int[]) as v(id, bp)
    where buyers.id = v.id`);
}

/** Whether the vertical ranks network bids net of return rates (false for an unknown vertical). */
export async function getRankNetOfReturns(db: DbOrTx, vertical: string): Promise<boolean> {
  const [v] = await db.select({ on: verticals.rankNetOfReturns }).from(verticals).where(eq(verticals.key, vertical));
  return v?.on ?? false;
}
