/**
 * What a buyer's caps and duplicate look-back count, as one definition: the sale function in SQL
 * (claim_sale), the auction's counter query (readCounters) and the replay's in-memory counters are
 * copies of it for speed, each held to it by a property test
 * (packages/api/src/auction/sale-rules.property.test.ts).
 */
import { duplicateLookbackStart, localPeriods } from "./time";
import type { Buyer, BuyerCounters, BuyerMoney } from "./types";

/** One of the buyer's earlier sales: when it was made and the person's normalized phone and email. */
export interface PastSale {
  at: Date;
  phone: string | null;
  email: string | null;
  /** What the sale cost the buyer (its money budgets); absent: 0. */
  priceCents?: number;
}

/**
 * A sale counts in every period (the buyer's local day, ISO week, month) it was made at or after
 * the start of; a duplicate is an earlier sale of the same phone or the same email made at or
 * after the look-back start. With no look-back (0 days) nothing is a duplicate.
 */
export function countSales(
  sales: readonly PastSale[],
  at: Date,
  buyer: Pick<Buyer, "timeZone" | "duplicateLookbackDays">,
  person: { phone: string | null; email: string | null },
): BuyerCounters {
  const p = localPeriods(at, buyer.timeZone);
  const since = (start: Date) => sales.filter((s) => s.at.getTime() >= start.getTime()).length;
  const days = buyer.duplicateLookbackDays ?? 0;
  const back = duplicateLookbackStart(at, days).getTime();
  const same = (s: PastSale) =>
    (person.phone !== null && s.phone === person.phone) || (person.email !== null && s.email === person.email);
  return {
    salesToday: since(p.day.start),
    salesThisWeek: since(p.week.start),
    salesThisMonth: since(p.month.start),
    duplicateWithinLookback: days > 0 && sales.some((s) => s.at.getTime() >= back && same(s)),
  };
}

/**
 * The buyer's money as the sale rules see it: its balance (the ledger's sum, given: top-ups and
 * credits are not sales) and what its sales cost in its local day and month (a sale counts from
 * the period's start, like countSales). claim_sale and readBuyerMoney are its copies in SQL, the
 * replay's SimulatedMoney (packages/api/src/insight/replay-money.ts) its copy in memory.
 */
export function countMoney(
  sales: readonly PastSale[],
  at: Date,
  buyer: Pick<Buyer, "timeZone">,
  balanceCents: number,
): BuyerMoney {
  const p = localPeriods(at, buyer.timeZone);
  const spent = (start: Date) =>
    sales.filter((s) => s.at.getTime() >= start.getTime()).reduce((sum, s) => sum + (s.priceCents ?? 0), 0);
  return { balanceCents, spentTodayCents: spent(p.day.start), spentThisMonthCents: spent(p.month.start) };
}
