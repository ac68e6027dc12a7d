// A buyer asks to return a lead it bought (dashboard or POST /api/v1/leads/:id/return).
//
// Under a per-buyer advisory lock (so two requests of one buyer cannot both pass its cap, and
// two requests for one sale are decided one after the other), the service reads the facts the
// rules need — the sale, an earlier purchase of the same person, the lead's phone, this month's
// purchases and returns — asks the engine, and writes the request, the timeline and, when
// approved, the credit in one transaction. The unique index on the sale is the backstop.
import { buyers, leads, returnRequests, transactions, type DbOrTx } from "@leadflow/db";
import { checkReturnWindow, autoDecideReturn, localPeriods, type ReturnDecision } from "@leadflow/engine";
import { and, desc, eq, gte, lt, ne, or, sql } from "drizzle-orm";
import type { Services } from "../context";
import { AppError } from "../errors";
import { creditReturn } from "./credit";
import { returnEvent } from "./events";
import { refreshReturnRates } from "./rates";
import type { ReturnBody } from "./schemas";

const DAY_MS = 86_400_000;

export interface ReturnActor {
  orgId: string;
  userId: string | null;
  via: "dashboard" | "api";
}

export interface ReturnResult {
  id: string;
  leadId: string;
  buyerId: string;
  status: "APPROVED" | "PENDING";
  rule: ReturnDecision["rule"];
  detail: string;
  creditedCents: number | null;
  windowEndsAt: Date;
}

/** The sale being returned: this org's winning transaction for the lead. */
async function findSale(db: DbOrTx, orgId: string, leadId: string, buyerId?: string) {
  const rows = await db
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
    .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true), eq(buyers.orgId, orgId), buyerId ? eq(buyers.id, buyerId) : undefined));
  if (rows.length === 0) {
    throw new AppError("NOT_FOUND", "You did not buy this lead, so you cannot return it. Check the lead id (only leads your organisation bought can be returned).");
  }
  if (rows.length > 1) {
    throw new AppError("BAD_REQUEST", "Several of your buyers bought this lead: say which one returns it with buyerId.", { buyerId: ["Choose the buyer that returns the lead."] });
  }
  return rows[0]!;
}

export async function requestReturn(s: Services, actor: ReturnActor, leadId: string, body: ReturnBody): Promise<ReturnResult> {
  const sale = await findSale(s.db, actor.orgId, leadId, body.buyerId);
  const now = s.clock.now();
  const window = checkReturnWindow(sale.soldAt, now, sale.windowDays);
  if (!window.ok) {
    await returnEvent(s.db, now, leadId, sale.buyerId, "return_refused", { reason: body.reason, why: window.detail, via: actor.via });
    throw new AppError("FORBIDDEN", `This lead can no longer be returned: ${window.detail}.`);
  }
  const result = await s.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lf-returns:${sale.buyerId}`}))`);
    const [existing] = await tx
      .select({ id: returnRequests.id, status: returnRequests.status, createdAt: returnRequests.createdAt })
      .from(returnRequests)
      .where(eq(returnRequests.saleId, sale.saleId));
    if (existing) {
      throw new AppError("CONFLICT", `This lead was already returned on ${existing.createdAt.toISOString()} (${existing.status.toLowerCase()}); a sale can be returned once.`);
    }
    const decision = autoDecideReturn({
      reason: body.reason,
      phone: await leadPhone(tx, leadId),
      duplicateOf: body.reason === "DUPLICATE" ? await earlierPurchase(tx, leadId, sale) : null,
      cap: await capFacts(tx, sale, now),
    });
    const [row] = await tx
      .insert(returnRequests)
      .values({
        saleId: sale.saleId,
        leadId,
        buyerId: sale.buyerId,
        reason: body.reason,
        comment: body.comment || null,
        via: actor.via,
        requestedBy: actor.userId,
        priceCents: sale.priceCents ?? 0,
        status: decision.status,
        rule: decision.rule,
        ruleDetail: decision.detail,
        decidedAt: decision.status === "APPROVED" ? now : null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: returnRequests.id });
    if (!row) throw new AppError("CONFLICT", "This lead was already returned; a sale can be returned once.");
    const ev = (kind: Parameters<typeof returnEvent>[4], data: Record<string, unknown>) => returnEvent(tx, now, leadId, sale.buyerId, kind, { returnId: row.id, ...data });
    await ev("return_requested", { reason: body.reason, comment: body.comment || null, via: actor.via, priceCents: sale.priceCents ?? 0, windowEndsAt: window.endsAt.toISOString() });
    await ev("return_rule", { rule: decision.rule, verified: decision.verified, outcome: decision.status, detail: decision.detail });
    let creditedCents: number | null = null;
    if (decision.status === "APPROVED") {
      await ev("return_decided", { status: "APPROVED", by: "rule", rule: decision.rule });
      creditedCents = await creditReturn(tx, { id: row.id, saleId: sale.saleId, leadId, buyerId: sale.buyerId, priceCents: sale.priceCents ?? 0 }, now);
    }
    return { id: row.id, leadId, buyerId: sale.buyerId, status: decision.status, rule: decision.rule, detail: decision.detail, creditedCents, windowEndsAt: window.endsAt };
  });
  s.log.info({ leadId, buyerId: sale.buyerId, returnId: result.id, status: result.status, rule: result.rule }, "return requested");
  // The return is committed; a failed refresh only delays the rate until the hourly job.
  if (result.status === "APPROVED") await refreshReturnRates(s.db, now, [sale.buyerId]).catch((err: unknown) => s.log.warn({ err, buyerId: sale.buyerId }, "return rate refresh failed"));
  return result;
}

async function leadPhone(db: DbOrTx, leadId: string): Promise<string | null> {
  const [l] = await db.select({ contact: leads.contact }).from(leads).where(eq(leads.id, leadId));
  return l?.contact.phone ?? null;
}

/** An earlier lead with the same phone or email that this buyer bought within its look-back before this sale. */
async function earlierPurchase(db: DbOrTx, leadId: string, sale: { buyerId: string; soldAt: Date; lookbackDays: number }) {
  if (sale.lookbackDays <= 0) return null;
  const [me] = await db.select({ phone: leads.phoneNormalized, email: leads.emailNormalized }).from(leads).where(eq(leads.id, leadId));
  if (!me || (!me.phone && !me.email)) return null;
  const since = new Date(sale.soldAt.getTime() - sale.lookbackDays * DAY_MS);
  const [hit] = await db
    .select({ leadId: leads.id, soldAt: transactions.createdAt })
    .from(transactions)
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(
      and(
        eq(transactions.buyerId, sale.buyerId),
        eq(transactions.isWinner, true),
        gte(transactions.createdAt, since),
        lt(transactions.createdAt, sale.soldAt),
        ne(leads.id, leadId),
        or(me.phone ? eq(leads.phoneNormalized, me.phone) : undefined, me.email ? eq(leads.emailNormalized, me.email) : undefined),
      ),
    )
    .orderBy(desc(transactions.createdAt))
    .limit(1);
  return hit ?? null;
}

/** The billing period is the buyer's local calendar month of the request. */
async function capFacts(db: DbOrTx, sale: { buyerId: string; timeZone: string; capPercent: number }, now: Date) {
  const month = localPeriods(now, sale.timeZone).month;
  const [bought] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .where(and(eq(transactions.buyerId, sale.buyerId), eq(transactions.isWinner, true), gte(transactions.createdAt, month.start), lt(transactions.createdAt, month.end)));
  const [returned] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(returnRequests)
    .where(and(eq(returnRequests.buyerId, sale.buyerId), ne(returnRequests.status, "DENIED"), gte(returnRequests.createdAt, month.start), lt(returnRequests.createdAt, month.end)));
  return { capPercent: sale.capPercent, purchasesInPeriod: bought?.n ?? 0, returnsInPeriod: returned?.n ?? 0 };
}
