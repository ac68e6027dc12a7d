// Return requests as each party may see them: the admin all (the queue is the PENDING ones), a
// buyer org its own buyers' requests, a seller the returns of the leads it sent (which came back
// and why). Also the buyer's list of leads it may still return.
import {
  countBuyerReturns,
  countBuyerSalesInRange,
  listOrgReturnTerms,
  listReturnableSales,
  listReturnRequests,
  sumOrgReturnCredits,
  type DbOrTx,
} from "@leadflow/db";
import { localPeriods, returnsAllowed, type ReturnStatus } from "@leadflow/engine";
import type { RateScope } from "./rates";

export async function listReturns(
  db: DbOrTx,
  scope: RateScope,
  q: { status?: ReturnStatus | undefined; limit: number; leadId?: string },
) {
  const rows = await listReturnRequests(db, scope, q);
  // A seller sees which leads came back and why, not the rule's arithmetic about a buyer's cap.
  return scope.kind === "seller" ? rows.map((r) => ({ ...r, ruleDetail: null, buyerId: null })) : rows;
}

/** Leads this org's buyers bought that are still inside their return window and not yet returned. */
export async function returnableLeads(db: DbOrTx, orgId: string, now: Date, limit = 50) {
  const rows = await listReturnableSales(db, orgId, now, limit);
  return rows.map(({ contact, ...r }) => ({ ...r, name: `${contact.firstName} ${contact.lastName}` }));
}

/** What this org's buyers have been credited, all time. */
export async function creditBalance(db: DbOrTx, orgId: string) {
  const row = await sumOrgReturnCredits(db, orgId);
  return row ?? { creditedCents: 0, credits: 0 };
}

/**
 * Each of this org's buyers' return terms and where it stands this billing period (its local
 * calendar month): how many returns the allowance lets through without an admin, and how many
 * are used. The same counts the rules use (request-return.ts).
 */
export async function returnAllowances(db: DbOrTx, orgId: string, now: Date) {
  const list = await listOrgReturnTerms(db, orgId);
  const out = [];
  for (const b of list) {
    const month = localPeriods(now, b.timeZone).month;
    const purchases = await countBuyerSalesInRange(db, b.buyerId, month.start, month.end);
    const used = await countBuyerReturns(db, b.buyerId, month.start, month.end);
    out.push({
      buyerId: b.buyerId,
      buyer: b.buyer,
      windowDays: b.windowDays,
      capPercent: b.capPercent,
      purchases,
      used,
      allowed: returnsAllowed(b.capPercent, purchases),
      periodEnds: month.end,
    });
  }
  return out;
}
