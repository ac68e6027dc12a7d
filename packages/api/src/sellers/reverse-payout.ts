// An approved return reverses the seller's payout for that lead: a PAYOUT_REVERSAL entry (the
// PAYOUT stays as it was written), once per lead, and only within the source's return window
// (payoutReversalCents). Runs inside the transaction that credits the buyer.
import { payoutOfLead, SOURCE_DEFAULTS, writePayoutReversal, type DbOrTx } from "@leadflow/db";
import { payoutReversalCents } from "@leadflow/engine";

/** Answers the amount reversed, or null (no payout, outside the window, or reversed already). */
export async function reversePayout(tx: DbOrTx, leadId: string, returnId: string, at: Date): Promise<number | null> {
  const p = await payoutOfLead(tx, leadId);
  if (!p) return null;
  const amount = payoutReversalCents(p.amountCents, p.soldAt, at, p.windowDays ?? SOURCE_DEFAULTS.returnWindowDays);
  if (amount === null) return null;
  return (await writePayoutReversal(tx, { leadId, returnId, amountCents: amount, at })) ? amount : null;
}
