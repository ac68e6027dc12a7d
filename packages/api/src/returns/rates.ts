// Return rates: approved returns per lead bought over the last RETURN_RATE_DAYS, by buyer and by
// lead source (the seller org), for the admin, the buyer (its own buyers) and the seller (its own
// leads). The same numbers feed buyers.return_rate_bp, which the auction can rank network bids by
// (verticals.rank_net_of_returns, off by default; see docs/returns.md).
import {
  countReturnsBySale,
  getRankNetOfReturns,
  listBuyerReturnCounts,
  updateBuyerReturnRates,
  type DbOrTx,
  type ReturnScope,
} from "@leadflow/db";
import { RETURN_RATE_DAYS, returnRateBp } from "@leadflow/engine";

const DAY_MS = 86_400_000;

export type RateScope = ReturnScope;

export async function returnRates(db: DbOrTx, scope: RateScope, now: Date) {
  const since = new Date(now.getTime() - RETURN_RATE_DAYS * DAY_MS);
  const { total, byBuyer, bySource } = await countReturnsBySale(db, scope, since);
  const withRate = <T extends { approved: number; purchases: number }>(r: T) => ({
    ...r,
    rateBp: returnRateBp(r.approved, r.purchases),
  });
  return {
    days: RETURN_RATE_DAYS,
    since,
    total: withRate(total ?? { purchases: 0, requested: 0, approved: 0, pending: 0, creditedCents: 0 }),
    byBuyer: byBuyer.map(withRate),
    bySource: bySource.map(withRate),
  };
}

/**
 * Recomputes buyers.return_rate_bp (all buyers, or the ones given) from the last RETURN_RATE_DAYS
 * of sales. Called after each approval and hourly by a pg-boss schedule, since new sales move it too.
 */
export async function refreshReturnRates(db: DbOrTx, now: Date, buyerIds?: readonly string[]): Promise<number> {
  const since = new Date(now.getTime() - RETURN_RATE_DAYS * DAY_MS);
  const rows = await listBuyerReturnCounts(db, since, buyerIds);
  const changed = rows
    .map((r) => ({ id: r.id, bp: returnRateBp(r.approved, r.purchases) }))
    .filter((r, i) => r.bp !== rows[i]!.current);
  if (changed.length === 0) return 0;
  // One statement for all changed buyers (updateBuyerReturnRates): the auction reloads its buyer set once.
  await updateBuyerReturnRates(db, changed);
  return changed.length;
}

/**
 * Whether the auction ranks this vertical's network bids net of return rates. The auction's
 * buyer set (auction/load.ts buyerSet) can read verticals.rankNetOfReturns beside the floor it
 * already reads and pass it as conductAuction's `netOfReturns`; this is the same read on its own.
 */
export async function rankNetOfReturns(db: DbOrTx, vertical: string): Promise<boolean> {
  return getRankNetOfReturns(db, vertical);
}
