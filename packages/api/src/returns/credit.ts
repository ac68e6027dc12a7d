// The credit for an approved return: one ledger row per sale (the unique index makes a second
// attempt a no-op), and the lead's revenue goes down by the same amount in the same transaction.
// A shared lead's other buyers keep their sales: only the returning buyer's sale is credited.
import { insertReturnCredit, lowerLeadRevenue, type DbOrTx } from "@leadflow/db";
import { reversePayout } from "../sellers/reverse-payout";
import { returnEvent } from "./events";

export interface CreditableReturn {
  id: string;
  saleId: string;
  leadId: string;
  buyerId: string;
  priceCents: number;
}

/** Returns the amount credited, or null when this sale had been credited already. */
export async function creditReturn(tx: DbOrTx, r: CreditableReturn, at: Date): Promise<number | null> {
  const row = await insertReturnCredit(tx, {
    saleId: r.saleId,
    returnId: r.id,
    leadId: r.leadId,
    buyerId: r.buyerId,
    amountCents: r.priceCents,
    at,
  });
  if (!row) return null;
  await lowerLeadRevenue(tx, r.leadId, r.priceCents);
  await returnEvent(tx, at, r.leadId, r.buyerId, "return_credited", {
    returnId: r.id,
    creditId: row.id,
    amountCents: r.priceCents,
  });
  // The seller's payout for the lead is reversed in the same transaction (within its window).
  await reversePayout(tx, r.leadId, r.id, at);
  return r.priceCents;
}
