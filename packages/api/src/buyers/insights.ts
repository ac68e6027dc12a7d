// Read models for the auction's dashboards: a buyer's own activity (pings, bids, wins, lost
// reasons) and the admin's lost-reason analytics. Every query takes the viewer's org scope:
// null is the admin (all buyers), otherwise only buyers of that organisation are counted.
import {
  getBuyerSummaryRows,
  getLostReasonRows,
  listBuyerActivity,
  type DbOrTx,
  type ActivityRange as Range,
} from "@leadflow/db";
import type { LostReason } from "@leadflow/engine";

export type { ActivityRange as Range } from "@leadflow/db";

/** The latest transactions of the viewer's buyers, newest first. */
export async function buyerActivity(
  db: DbOrTx,
  orgId: string | null,
  q: { limit: number; before?: Date | undefined; buyerId?: string | undefined },
) {
  return listBuyerActivity(db, orgId, q);
}

/** Per buyer: how many times it was pinged or considered, bid, won, what it spent, and why it lost. */
export async function buyerSummary(db: DbOrTx, orgId: string | null, r: Range) {
  const { totals, reasons } = await getBuyerSummaryRows(db, orgId, r);
  return totals.map((t) => ({
    ...t,
    lost: Object.fromEntries(
      reasons.filter((x) => x.buyerId === t.buyerId).map((x) => [x.reason!, x.count]),
    ) as Partial<Record<LostReason, number>>,
  }));
}

export type Bucket = "hour" | "day";

/**
 * Lost reasons by reason, by buyer and over time. Transactions carry every reason but
 * CASCADE_EXHAUSTED, which belongs to a lead (no single buyer caused it): it is counted once per
 * lead from leads.unsold_reason, never per buyer.
 */
export async function lostReasons(db: DbOrTx, r: Range, bucket: Bucket, timeZone = "UTC") {
  const { byReasonTx, exhausted, byBuyer, overTx, overLeads } = await getLostReasonRows(db, r, bucket, timeZone);
  const byReason = [
    ...byReasonTx,
    ...(exhausted > 0 ? [{ reason: "CASCADE_EXHAUSTED" as LostReason, count: exhausted }] : []),
  ].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const overTime = [...overTx, ...overLeads].sort(
    (a, b) => a.bucket.localeCompare(b.bucket) || a.reason.localeCompare(b.reason),
  );
  return {
    byReason,
    byBuyer: byBuyer.sort((a, b) => a.buyer.localeCompare(b.buyer) || b.count - a.count),
    overTime,
    range: r,
    bucket,
  };
}
