// A buyer asks to return a lead it bought (dashboard or POST /api/v1/leads/:id/return).
//
// Under a per-buyer advisory lock (so two requests of one buyer cannot both pass its cap, and
// two requests for one sale are decided one after the other), the service reads the facts the
// rules need — the sale, an earlier purchase of the same person, the lead's phone, this month's
// purchases and returns — asks the engine, and writes the request, the timeline and, when
// approved, the credit in one transaction. The unique index on the sale is the backstop.
import {
  countBuyerReturns,
  countBuyerSalesInRange,
  findEarlierPurchase,
  getLeadPhone,
  getReturnBySale,
  insertReturnRequest,
  listOrgWinningSales,
  lockBuyerReturns,
  type DbOrTx,
} from "@leadflow/db";
import { checkReturnWindow, autoDecideReturn, localPeriods } from "@leadflow/engine";
import type { Services } from "../context";
import { AppError } from "../errors";
import { dispatchSellerEvents } from "../sellers/webhook-delivery";
import { creditReturn } from "./credit";
import { returnEvent } from "./events";
import { refreshReturnRates } from "./rates";
import type { z } from "zod";
import type { ReturnBody, returnResultSchema } from "./schemas";

const DAY_MS = 86_400_000;

export interface ReturnActor {
  orgId: string;
  userId: string | null;
  via: "dashboard" | "api";
}

export type ReturnResult = z.output<typeof returnResultSchema>;

/** The sale being returned: this org's winning transaction for the lead. */
async function findSale(db: DbOrTx, orgId: string, leadId: string, buyerId?: string) {
  const rows = await listOrgWinningSales(db, orgId, leadId, buyerId);
  if (rows.length === 0) {
    throw new AppError(
      "NOT_FOUND",
      "You did not buy this lead, so you cannot return it. Check the lead id (only leads your organisation bought can be returned).",
    );
  }
  if (rows.length > 1) {
    throw new AppError(
      "BAD_REQUEST",
      "Several of your buyers bought this lead: say which one returns it with buyerId.",
      { buyerId: ["Choose the buyer that returns the lead."] },
    );
  }
  return rows[0]!;
}

export async function requestReturn(
  s: Services,
  actor: ReturnActor,
  leadId: string,
  body: ReturnBody,
): Promise<ReturnResult> {
  const sale = await findSale(s.db, actor.orgId, leadId, body.buyerId);
  const now = s.clock.now();
  const window = checkReturnWindow(sale.soldAt, now, sale.windowDays);
  if (!window.ok) {
    await returnEvent(s.db, now, leadId, sale.buyerId, "return_refused", {
      reason: body.reason,
      why: window.detail,
      via: actor.via,
    });
    throw new AppError("FORBIDDEN", `This lead can no longer be returned: ${window.detail}.`);
  }
  const result = await s.db.transaction(async (tx) => {
    await lockBuyerReturns(tx, sale.buyerId);
    const existing = await getReturnBySale(tx, sale.saleId);
    if (existing) {
      throw new AppError(
        "CONFLICT",
        `This lead was already returned on ${existing.createdAt.toISOString()} (${existing.status.toLowerCase()}); a sale can be returned once.`,
      );
    }
    const decision = autoDecideReturn({
      reason: body.reason,
      phone: await getLeadPhone(tx, leadId),
      duplicateOf: body.reason === "DUPLICATE" ? await earlierPurchase(tx, leadId, sale) : null,
      cap: await capFacts(tx, sale, now),
    });
    const row = await insertReturnRequest(tx, {
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
    });
    if (!row) throw new AppError("CONFLICT", "This lead was already returned; a sale can be returned once.");
    const ev = (kind: Parameters<typeof returnEvent>[4], data: Record<string, unknown>) =>
      returnEvent(tx, now, leadId, sale.buyerId, kind, { returnId: row.id, ...data });
    await ev("return_requested", {
      reason: body.reason,
      comment: body.comment || null,
      via: actor.via,
      priceCents: sale.priceCents ?? 0,
      windowEndsAt: window.endsAt.toISOString(),
    });
    await ev("return_rule", {
      rule: decision.rule,
      verified: decision.verified,
      outcome: decision.status,
      detail: decision.detail,
    });
    let creditedCents: number | null = null;
    if (decision.status === "APPROVED") {
      await ev("return_decided", { status: "APPROVED", by: "rule", rule: decision.rule });
      creditedCents = await creditReturn(
        tx,
        { id: row.id, saleId: sale.saleId, leadId, buyerId: sale.buyerId, priceCents: sale.priceCents ?? 0 },
        now,
      );
    }
    return {
      id: row.id,
      leadId,
      buyerId: sale.buyerId,
      status: decision.status,
      rule: decision.rule,
      detail: decision.detail,
      creditedCents,
      windowEndsAt: window.endsAt,
    };
  });
  s.log.info(
    { leadId, buyerId: sale.buyerId, returnId: result.id, status: result.status, rule: result.rule },
    "return requested",
  );
  // The seller's lead.returned (written by a trigger with the credit).
  if (result.creditedCents !== null) await dispatchSellerEvents(s, leadId);
  // The return is committed; a failed refresh only delays the rate until the hourly job.
  if (result.status === "APPROVED")
    await refreshReturnRates(s.db, now, [sale.buyerId]).catch((err: unknown) =>
      s.log.warn({ err, buyerId: sale.buyerId }, "return rate refresh failed"),
    );
  return result;
}

/** An earlier lead with the same phone or email that this buyer bought within its look-back before this sale. */
async function earlierPurchase(
  db: DbOrTx,
  leadId: string,
  sale: { buyerId: string; soldAt: Date; lookbackDays: number },
) {
  if (sale.lookbackDays <= 0) return null;
  return findEarlierPurchase(db, {
    leadId,
    buyerId: sale.buyerId,
    since: new Date(sale.soldAt.getTime() - sale.lookbackDays * DAY_MS),
    before: sale.soldAt,
  });
}

/** The billing period is the buyer's local calendar month of the request. */
async function capFacts(db: DbOrTx, sale: { buyerId: string; timeZone: string; capPercent: number }, now: Date) {
  const month = localPeriods(now, sale.timeZone).month;
  const purchasesInPeriod = await countBuyerSalesInRange(db, sale.buyerId, month.start, month.end);
  const returnsInPeriod = await countBuyerReturns(db, sale.buyerId, month.start, month.end);
  return { capPercent: sale.capPercent, purchasesInPeriod, returnsInPeriod };
}
