// Return requests as each party may see them: the admin all (the queue is the PENDING ones), a
// buyer org its own buyers' requests, a seller the returns of the leads it sent (which came back
// and why). Also the buyer's list of leads it may still return.
import { buyers, leads, orgs, returnCredits, returnRequests, transactions, type DbOrTx } from "@leadflow/db";
import { localPeriods, returnsAllowed, type ReturnStatus } from "@leadflow/engine";
import { and, desc, eq, gte, isNull, lt, ne, sql, type SQL } from "drizzle-orm";
import type { RateScope } from "./rates";

function scoped(scope: RateScope): SQL | undefined {
  if (scope.kind === "buyer") return eq(buyers.orgId, scope.orgId);
  if (scope.kind === "seller") return eq(leads.sellerOrgId, scope.orgId);
  return undefined;
}

export async function listReturns(db: DbOrTx, scope: RateScope, q: { status?: ReturnStatus | undefined; limit: number; leadId?: string }) {
  const rows = await db
    .select({
      id: returnRequests.id,
      leadId: returnRequests.leadId,
      buyerId: returnRequests.buyerId,
      buyer: buyers.name,
      buyerType: buyers.type,
      source: orgs.name,
      vertical: leads.vertical,
      zip: leads.zip,
      reason: returnRequests.reason,
      comment: returnRequests.comment,
      via: returnRequests.via,
      priceCents: returnRequests.priceCents,
      status: returnRequests.status,
      rule: returnRequests.rule,
      ruleDetail: returnRequests.ruleDetail,
      decisionNote: returnRequests.decisionNote,
      decidedAt: returnRequests.decidedAt,
      createdAt: returnRequests.createdAt,
      creditedCents: returnCredits.amountCents,
      creditedAt: returnCredits.createdAt,
    })
    .from(returnRequests)
    .innerJoin(buyers, eq(buyers.id, returnRequests.buyerId))
    .innerJoin(leads, eq(leads.id, returnRequests.leadId))
    .innerJoin(orgs, eq(orgs.id, leads.sellerOrgId))
    .leftJoin(returnCredits, eq(returnCredits.returnId, returnRequests.id))
    .where(and(scoped(scope), q.status ? eq(returnRequests.status, q.status) : undefined, q.leadId ? eq(returnRequests.leadId, q.leadId) : undefined))
    .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id))
    .limit(q.limit);
  // A seller sees which leads came back and why, not the rule's arithmetic about a buyer's cap.
  return scope.kind === "seller" ? rows.map((r) => ({ ...r, ruleDetail: null, buyerId: null })) : rows;
}

/** Leads this org's buyers bought that are still inside their return window and not yet returned. */
export async function returnableLeads(db: DbOrTx, orgId: string, now: Date, limit = 50) {
  const rows = await db
    .select({
      leadId: transactions.leadId,
      buyerId: transactions.buyerId,
      buyer: buyers.name,
      vertical: leads.vertical,
      zip: leads.zip,
      contact: leads.contact,
      priceCents: transactions.priceCents,
      soldAt: transactions.createdAt,
      windowEndsAt: sql<Date>`${transactions.createdAt} + make_interval(hours => 24 * ${buyers.returnWindowDays})`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .leftJoin(returnRequests, eq(returnRequests.saleId, transactions.id))
    .where(
      and(
        eq(buyers.orgId, orgId),
        eq(transactions.isWinner, true),
        isNull(returnRequests.id),
        sql`${transactions.createdAt} + make_interval(hours => 24 * ${buyers.returnWindowDays}) >= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(transactions.createdAt))
    .limit(limit);
  return rows.map(({ contact, ...r }) => ({ ...r, name: `${contact.firstName} ${contact.lastName}` }));
}

/** What this org's buyers have been credited, all time. */
export async function creditBalance(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({ creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number), credits: sql<number>`count(*)`.mapWith(Number) })
    .from(returnCredits)
    .innerJoin(buyers, eq(buyers.id, returnCredits.buyerId))
    .where(eq(buyers.orgId, orgId));
  return row ?? { creditedCents: 0, credits: 0 };
}

/**
 * Each of this org's buyers' return terms and where it stands this billing period (its local
 * calendar month): how many returns the allowance lets through without an admin, and how many
 * are used. The same counts the rules use (request-return.ts).
 */
export async function returnAllowances(db: DbOrTx, orgId: string, now: Date) {
  const list = await db
    .select({ buyerId: buyers.id, buyer: buyers.name, timeZone: buyers.timeZone, windowDays: buyers.returnWindowDays, capPercent: buyers.returnCapPercent })
    .from(buyers)
    .where(eq(buyers.orgId, orgId))
    .orderBy(buyers.name);
  const out = [];
  for (const b of list) {
    const month = localPeriods(now, b.timeZone).month;
    const [bought] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(transactions)
      .where(and(eq(transactions.buyerId, b.buyerId), eq(transactions.isWinner, true), gte(transactions.createdAt, month.start), lt(transactions.createdAt, month.end)));
    const [used] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(returnRequests)
      .where(and(eq(returnRequests.buyerId, b.buyerId), ne(returnRequests.status, "DENIED"), gte(returnRequests.createdAt, month.start), lt(returnRequests.createdAt, month.end)));
    const purchases = bought?.n ?? 0;
    out.push({ buyerId: b.buyerId, buyer: b.buyer, windowDays: b.windowDays, capPercent: b.capPercent, purchases, used: used?.n ?? 0, allowed: returnsAllowed(b.capPercent, purchases), periodEnds: month.end });
  }
  return out;
}
