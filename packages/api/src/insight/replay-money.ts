// The replayed buyer's money at each replayed lead, as claim_sale would read it at that moment
// (docs/insight.md, docs/billing.md): the balance is the ledger as recorded, except that what the
// replay re-decides is replaced by what the replay decides, and the spend is the prices of the
// sales made since the buyer's local midnight and the first of its month.
//
// - Recorded as is: the ledger's sum before the window (opening balance), every top-up, and every
//   entry (charge, release, return credit) of a lead the replay does not replay (another vertical,
//   or a lead received before the window and sold inside it); the same leads' sales count as spend.
// - Replaced: the recorded charges and releases of the replayed leads give way to the replay's own
//   wins, each charged its replayed price; a replayed lead's recorded return credit counts only if
//   the replay won the lead too, for what the replay paid (a credit is the price paid: returns.md).
// Spend is gross: a return credit gives money back to the balance but does not free a budget,
// exactly as claim_sale sums the prices of winning transactions.
// One pass, in time order, like the leads: every call's `at` is at or after the previous one's.
import type { ReplayLedgerEntry } from "@leadflow/db";
import { localPeriods, needsMoney, type Buyer, type BuyerMoney, type LocalPeriods } from "@leadflow/engine";

export interface RecordedMoney {
  openingCents: number;
  /** In the order written. */
  entries: readonly ReplayLedgerEntry[];
  /** Winning sales, oldest first (for the spend of leads the replay does not re-decide). */
  sales: readonly { leadId: string; at: Date; priceCents: number }[];
}

export class SimulatedMoney {
  private balance: number;
  private next = 0;
  /** Every sale that counts as spend, in time order, with running sums for the period totals. */
  private readonly times: number[] = [];
  private readonly sums: number[] = [0];
  private readonly pending: { at: number; priceCents: number }[];
  private nextSale = 0;
  /** Replayed lead → what the replay paid for it; absent: the replay did not win it (yet). */
  private readonly paid = new Map<string, number>();
  private periods: LocalPeriods | null = null;
  readonly enabled: boolean;

  constructor(
    private readonly buyer: Buyer,
    private readonly recorded: RecordedMoney,
    private readonly replayed: ReadonlySet<string>,
  ) {
    this.enabled = needsMoney(buyer.billing);
    this.balance = recorded.openingCents;
    this.pending = recorded.sales
      .filter((s) => !replayed.has(s.leadId))
      .map((s) => ({ at: s.at.getTime(), priceCents: s.priceCents }));
  }

  private advance(t: number): void {
    const { entries } = this.recorded;
    while (this.next < entries.length && entries[this.next]!.at.getTime() <= t) {
      const e = entries[this.next++]!;
      if (e.kind === "TOP_UP" || e.leadId === null || !this.replayed.has(e.leadId)) this.balance += e.amountCents;
      else if (e.kind === "RETURN_CREDIT") this.balance += this.paid.get(e.leadId) ?? 0;
      // a replayed lead's recorded CHARGE or RELEASE: replaced by the replay's own sale
    }
    while (this.nextSale < this.pending.length && this.pending[this.nextSale]!.at <= t) {
      const s = this.pending[this.nextSale++]!;
      this.spend(s.at, s.priceCents);
    }
  }

  private spend(t: number, priceCents: number): void {
    this.times.push(t);
    this.sums.push(this.sums[this.sums.length - 1]! + priceCents);
  }

  /** The money claim_sale would read at `at`; undefined when the buyer has none to check (readCounters' rule). */
  at(at: Date): BuyerMoney | undefined {
    const t = at.getTime();
    this.advance(t);
    if (!this.enabled) return undefined;
    let p = this.periods;
    if (!p || t < p.day.start.getTime() || t >= p.day.end.getTime())
      p = this.periods = localPeriods(at, this.buyer.timeZone);
    const total = this.sums[this.sums.length - 1]!;
    const since = (start: Date) => total - this.sums[lowerBound(this.times, start.getTime())]!;
    return {
      balanceCents: this.balance,
      spentTodayCents: since(p.day.start),
      spentThisMonthCents: since(p.month.start),
    };
  }

  /** The replay sold `leadId` to the buyer at `at` for `priceCents`: charged now, spent today. */
  charge(leadId: string, at: Date, priceCents: number): void {
    this.advance(at.getTime());
    this.balance -= priceCents;
    this.paid.set(leadId, priceCents);
    this.spend(at.getTime(), priceCents);
  }
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
