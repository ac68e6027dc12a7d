// The moment of sale, in one round trip: the claim_sale function (migration 0008) locks the lead,
// then what the buyer's rules need (its row if it has caps, its pair with this person if it
// refuses duplicates; always in that order, so two sales cannot deadlock), counts the buyer's
// sales afresh under the lock and writes the sale only if caps and duplicates allow it. Hours are
// checked here first. Concurrent auctions therefore cannot oversell a lead, overrun a cap or both
// buy the same person, and sales to a buyer with neither rule do not queue behind each other.
// A buyer that keeps a balance (PREPAID, CREDIT_LIMIT) or a money budget is locked like a capped
// one; its balance and spend are read under the lock, and a sale that would overdraw it or pass a
// budget is refused (INSUFFICIENT_FUNDS, CAP_REACHED). The charge goes on the ledger by trigger
// in the same transaction (docs/billing.md).
// claim_sale's counting is a copy of the engine's countSales, held to it (and to checkSaleRules's
// verdict) by sale-rules.property.test.ts.
//
// A network's sale is reserved before its POST and released if the POST is refused: the POST is
// slow HTTP and must not hold a lock, and a reservation counts against the cap while it is open,
// so a cap can be under-used for a moment but never overrun.
import { claimSaleRow, releaseSaleRow, type DbOrTx } from "@leadflow/db";
import {
  checkHours,
  checkSaleRules,
  duplicateLookbackStart,
  localPeriods,
  needsMoney,
  type Buyer,
  type RejectionReason,
  type TransactionKind,
} from "@leadflow/engine";
import { skipFsync } from "./commit";
import type { CounterBuyer } from "./load";

/** A sale made says the buyer's balance after it (the ledger's sum, charge included). */
export type SaleClaim = { ok: true; balanceCents?: number } | { ok: false; reason: RejectionReason; detail: string };

export interface ClaimInput {
  leadId: string;
  buyer: Buyer;
  row: CounterBuyer;
  kind: TransactionKind;
  priceCents: number;
  bidCents: number | null;
  /** How many winners the lead may have in this sale: 1 exclusive, N shared. */
  limit: number;
  /** The POST's cascadePosition; null for a contractor's claim (never a POST). */
  cascadePosition: number | null;
  at: Date;
  /**
   * The run's attempt (leads.auction_attempt as its start set it): the sale is refused if the lead
   * has been started again since (a run in a process thought dead). Omitted only outside a run.
   */
  attempt?: number;
}

/** A refusal writes nothing, so its commit waits for no fsync. */
export async function claimSale(db: DbOrTx, c: ClaimInput): Promise<SaleClaim> {
  // Hours depend only on the moment, so they are checked here; caps and duplicates need the
  // locks and fresh counts of claim_sale. (Hours alone: a cap of 0 must be refused with the
  // counts claim_sale reads, not with none.)
  const hours = checkHours(c.buyer, c.at);
  if (!hours.ok) return hours;
  const p = localPeriods(c.at, c.row.timeZone);
  const days = c.row.duplicateLookbackDays ?? 0;
  const r = await claimSaleRow(db, {
    leadId: c.leadId,
    buyerId: c.row.id,
    kind: c.kind,
    priceCents: c.priceCents,
    bidCents: c.bidCents,
    cascadePosition: c.cascadePosition,
    at: c.at,
    limit: c.limit,
    capDaily: c.row.capDaily,
    capWeekly: c.row.capWeekly,
    capMonthly: c.row.capMonthly,
    dayStart: p.day.start,
    weekStart: p.week.start,
    monthStart: p.month.start,
    duplicateSince: days > 0 ? duplicateLookbackStart(c.at, days) : null,
    attempt: c.attempt ?? null,
    billingMode: c.row.billingMode,
    creditLimitCents: c.row.creditLimitCents,
    budgetDailyCents: c.row.budgetDailyCents,
    budgetMonthlyCents: c.row.budgetMonthlyCents,
  });
  if (!r) throw new Error("claim_sale returned nothing");
  if (r.r_refused === null)
    return needsMoney(c.buyer.billing) ? { ok: true, balanceCents: Number(r.r_balance) } : { ok: true };
  if (r.r_refused === "lead") {
    if (r.r_status !== "PROCESSING")
      return { ok: false, reason: "POST_REJECTED", detail: `lead is ${r.r_status ?? "missing"}, not PROCESSING` };
    if (c.attempt !== undefined && r.r_attempt !== c.attempt) {
      return {
        ok: false,
        reason: "POST_REJECTED",
        detail: `the lead's auction was started again (attempt ${r.r_attempt}) after this run (attempt ${c.attempt})`,
      };
    }
    return { ok: false, reason: "POST_REJECTED", detail: `lead already has ${r.r_winners} of ${c.limit} buyers` };
  }
  // The rules refused: the engine names which one, from the same counts.
  const counters = {
    salesToday: Number(r.r_today),
    salesThisWeek: Number(r.r_week),
    salesThisMonth: Number(r.r_month),
    duplicateWithinLookback: r.r_dup,
    money: {
      balanceCents: Number(r.r_balance),
      spentTodayCents: Number(r.r_spent_day),
      spentThisMonthCents: Number(r.r_spent_month),
    },
  };
  const verdict = checkSaleRules(c.buyer, counters, c.at, c.priceCents);
  return verdict.ok
    ? { ok: false, reason: "CAP_REACHED", detail: `refused at sale (${JSON.stringify(counters)})` }
    : verdict;
}

/**
 * Undoes a reservation whose POST was refused, only while the lead is still PROCESSING on this
 * run's attempt: a lead already ended (by the sweep, its process thought dead) keeps what it was
 * ended with. The lead's row first, as claim_sale locks it.
 */
export async function releaseSale(db: DbOrTx, leadId: string, buyerId: string, attempt?: number): Promise<void> {
  await db.transaction(async (tx) => {
    await skipFsync(tx); // finalize, synchronous, always follows (commit.ts)
    await releaseSaleRow(tx, leadId, buyerId, attempt);
  });
}
