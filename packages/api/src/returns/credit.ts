// The credit for an approved return: one ledger row per sale (the unique index makes a second
// attempt a no-op), and the lead's revenue goes down by the same amount in the same transaction.
// A shared lead's other buyers keep their sales: only the returning buyer's sale is credited.
import { leads, returnCredits, type DbOrTx } from "@leadflow/db";
import { eq, sql } from "drizzle-orm";
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
  const [row] = await tx
    .insert(returnCredits)
    .values({ saleId: r.saleId, returnId: r.id, leadId: r.leadId, buyerId: r.buyerId, amountCents: r.priceCents, createdAt: at })
    .onConflictDoNothing()
    .returning({ id: returnCredits.id });
  if (!row) return null;
  await tx
    .update(leads)
    .set({ revenueCents: sql`greatest(0, ${leads.revenueCents} - ${r.priceCents})` })
    .where(eq(leads.id, r.leadId));
  await returnEvent(tx, at, r.leadId, r.buyerId, "return_credited", { returnId: r.id, creditId: row.id, amountCents: r.priceCents });
  // The seller's payout for the lead is reversed in the same transaction (within its window).
  await reversePayout(tx, r.leadId, r.id, at);
  return r.priceCents;
}
