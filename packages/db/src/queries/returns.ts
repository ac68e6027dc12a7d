// Return requests and their credits: the facts the return rules need (the sale, an earlier
// purchase of the same person, this month's purchases and returns), the per-buyer advisory lock
// that serialises a buyer's requests, and the lists each party may see.
import { and, desc, eq, gte, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import { buyers, leadEvents, leads, orgs, returnCredits, returnRequests, transactions } from "../schema";

/** Who is asking: an admin sees every return, a buyer org its buyers', a seller org its leads'. */
export type ReturnScope = { kind: "admin" } | { kind: "buyer"; orgId: string } | { kind: "seller"; orgId: string };
export type ReturnRequestRow = typeof returnRequests.$inferSelect;
export type ReturnRequestInsert = typeof returnRequests.$inferInsert;
type ReturnStatus = ReturnRequestRow["status"];

export function returnScopeFilter(scope: ReturnScope): SQL | undefined {
  if (scope.kind === "buyer") return eq(buyers.orgId, scope.orgId);
  if (scope.kind === "seller") return eq(leads.sellerOrgId, scope.orgId);
  return undefined;
}

export async function insertReturnEvent(
  db: DbOrTx,
  e: { leadId: string; buyerId: string; at: Date; kind: string; data: Record<string, unknown> },
): Promise<void> {
  await db.insert(leadEvents).values(e);
}

/** The credit row, once per sale (unique index): undefined when the sale had been credited already. */
export async function insertReturnCredit(
  tx: DbOrTx,
  c: { saleId: string; returnId: string; leadId: string; buyerId: string; amountCents: number; at: Date },
): Promise<{ id: (typeof returnCredits.$inferSelect)["id"] } | undefined> {
  const [row] = await tx
    .insert(returnCredits)
    .values({
      saleId: c.saleId,
      returnId: c.returnId,
      leadId: c.leadId,
      buyerId: c.buyerId,
      amountCents: c.amountCents,
      createdAt: c.at,
    })
    .onConflictDoNothing()
    .returning({ id: returnCredits.id });
  return row;
}

/** Lowers the lead's revenue by a credit, never below zero. */
export async function lowerLeadRevenue(tx: DbOrTx, leadId: string, cents: number): Promise<void> {
  await tx
    .update(leads)
    .set({ revenueCents: sql`greatest(0, ${leads.revenueCents} - ${cents})` })
    .where(eq(leads.id, leadId));
}

/** An admin's decision, only on a request still PENDING; undefined when there is none. */
export async function decidePendingReturn(
  tx: Tx,
  p: { id: string; status: "APPROVED" | "DENIED"; decidedBy: string; note: string; at: Date },
): Promise<ReturnRequestRow | undefined> {
  const [row] = await tx
    .update(returnRequests)
    .set({ status: p.status, rule: "ADMIN", decidedBy: p.decidedBy, decisionNote: p.note, decidedAt: p.at })
    .where(and(eq(returnRequests.id, p.id), eq(returnRequests.status, "PENDING")))
    .returning();
  return row;
}

export async function getReturnStatus(db: DbOrTx, id: string): Promise<{ status: ReturnStatus } | undefined> {
  const [row] = await db
    .select({ status: returnRequests.status })
    .from(returnRequests)
    .where(eq(returnRequests.id, id));
  return row;
}

/** This org's winning sales of the lead (of one buyer when given), with the buyer's return terms. */
export async function listOrgWinningSales(db: DbOrTx, orgId: string, leadId: string, buyerId?: string) {
  return db
    .select({
      saleId: transactions.id,
      buyerId: transactions.buyerId,
      priceCents: transactions.priceCents,
      soldAt: transactions.createdAt,
      windowDays: buyers.returnWindowDays,
      capPercent: buyers.returnCapPercent,
      timeZone: buyers.timeZone,
      lookbackDays: buyers.duplicateLookbackDays,
      leadStatus: leads.status,
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(
      and(
        eq(transactions.leadId, leadId),
        eq(transactions.isWinner, true),
        eq(buyers.orgId, orgId),
        buyerId ? eq(buyers.id, buyerId) : undefined,
      ),
    );
}

/** Serialises one buyer's return requests until the transaction ends (its cap, one sale's two requests). */
export async function lockBuyerReturns(tx: Tx, buyerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lf-returns:${buyerId}`}))`);
}

export async function getReturnBySale(tx: DbOrTx, saleId: string) {
  const [existing] = await tx
    .select({ id: returnRequests.id, status: returnRequests.status, createdAt: returnRequests.createdAt })
    .from(returnRequests)
    .where(eq(returnRequests.saleId, saleId));
  return existing;
}

/** The request, once per sale (unique index): undefined when one exists already. */
export async function insertReturnRequest(
  tx: Tx,
  values: ReturnRequestInsert,
): Promise<{ id: ReturnRequestRow["id"] } | undefined> {
  const [row] = await tx
    .insert(returnRequests)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: returnRequests.id });
  return row;
}

export async function getLeadPhone(db: DbOrTx, leadId: string): Promise<string | null> {
  const [l] = await db.select({ contact: leads.contact }).from(leads).where(eq(leads.id, leadId));
  return l?.contact.phone ?? null;
}

/** An earlier lead with the same phone or email that the buyer bought in [since, before), newest first. */
export async function findEarlierPurchase(
  db: DbOrTx,
  p: { leadId: string; buyerId: string; since: Date; before: Date },
) {
  const [me] = await db
    .select({
      phone: leads.phoneNormalized,
      email: leads.emailNormalized,
      phoneHash: leads.phoneHash,
      emailHash: leads.emailHash,
    })
    .from(leads)
    .where(eq(leads.id, p.leadId));
  if (!me || (!me.phone && !me.email && !me.phoneHash && !me.emailHash)) return null;
  const [hit] = await db
    .select({ leadId: leads.id, soldAt: transactions.createdAt })
    .from(transactions)
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(
      and(
        eq(transactions.buyerId, p.buyerId),
        eq(transactions.isWinner, true),
        gte(transactions.createdAt, p.since),
        lt(transactions.createdAt, p.before),
        ne(leads.id, p.leadId),
        or(
          me.phone ? eq(leads.phoneNormalized, me.phone) : undefined,
          me.email ? eq(leads.emailNormalized, me.email) : undefined,
          // A purged lead keeps only its keyed hashes (retention).
          me.phoneHash ? eq(leads.phoneHash, me.phoneHash) : undefined,
          me.emailHash ? eq(leads.emailHash, me.emailHash) : undefined,
        ),
      ),
    )
    .orderBy(desc(transactions.createdAt))
    .limit(1);
  return hit ?? null;
}

/** The buyer's winning sales in [start, end). */
export async function countBuyerSalesInRange(db: DbOrTx, buyerId: string, start: Date, end: Date): Promise<number> {
  const [bought] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .where(
      and(
        eq(transactions.buyerId, buyerId),
        eq(transactions.isWinner, true),
        gte(transactions.createdAt, start),
        lt(transactions.createdAt, end),
      ),
    );
  return bought?.n ?? 0;
}

/** The buyer's return requests not denied, asked in [start, end). */
export async function countBuyerReturns(db: DbOrTx, buyerId: string, start: Date, end: Date): Promise<number> {
  const [returned] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(returnRequests)
    .where(
      and(
        eq(returnRequests.buyerId, buyerId),
        ne(returnRequests.status, "DENIED"),
        gte(returnRequests.createdAt, start),
        lt(returnRequests.createdAt, end),
      ),
    );
  return returned?.n ?? 0;
}

export async function listReturnRequests(
  db: DbOrTx,
  scope: ReturnScope,
  q: { status?: ReturnStatus | undefined; limit: number; leadId?: string },
) {
  return db
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
    .where(
      and(
        returnScopeFilter(scope),
        q.status ? eq(returnRequests.status, q.status) : undefined,
        q.leadId ? eq(returnRequests.leadId, q.leadId) : undefined,
      ),
    )
    .orderBy(desc(returnRequests.createdAt), desc(returnRequests.id))
    .limit(q.limit);
}

/** Sales of this org's buyers still inside their return window and not yet returned, newest first. */
export async function listReturnableSales(db: DbOrTx, orgId: string, now: Date, limit: number) {
  return db
    .select({
      leadId: transactions.leadId,
      buyerId: transactions.buyerId,
      buyer: buyers.name,
      vertical: leads.vertical,
      zip: leads.zip,
      contact: leads.contact,
      priceCents: transactions.priceCents,
      soldAt: transactions.createdAt,
      windowEndsAt:
        sql<Date>`${transactions.createdAt} + make_interval(hours => 24 * ${buyers.returnWindowDays})`.mapWith(
          (v: string | Date) => new Date(v),
        ),
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
}

/** What this org's buyers have been credited, all time. */
export async function sumOrgReturnCredits(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({
      creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
      credits: sql<number>`count(*)`.mapWith(Number),
    })
    .from(returnCredits)
    .innerJoin(buyers, eq(buyers.id, returnCredits.buyerId))
    .where(eq(buyers.orgId, orgId));
  return row;
}

/** This org's buyers' return terms, by name. */
export async function listOrgReturnTerms(db: DbOrTx, orgId: string) {
  return db
    .select({
      buyerId: buyers.id,
      buyer: buyers.name,
      timeZone: buyers.timeZone,
      windowDays: buyers.returnWindowDays,
      capPercent: buyers.returnCapPercent,
    })
    .from(buyers)
    .where(eq(buyers.orgId, orgId))
    .orderBy(buyers.name);
}
