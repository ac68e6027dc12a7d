// The moment of sale. One database transaction locks the lead row, then the buyer row (always in
// that order, so two sales cannot deadlock), re-reads the buyer's counters under the lock and
// re-checks hours, caps and duplicates before writing the sale. Concurrent auctions therefore
// cannot oversell a lead, overrun a cap or both buy the same person.
//
// A network's sale is reserved before its POST and released if the POST is refused: the POST is
// slow HTTP and must not hold a lock, and a reservation counts against the cap while it is open,
// so a cap can be under-used for a moment but never overrun.
import { buyers, leads, transactions, type DbOrTx } from "@leadflow/db";
import { checkSaleRules, type Buyer, type RejectionReason, type TransactionKind } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { skipFsync } from "./commit";
import { readCounters, type BuyerRow } from "./load";

export type SaleClaim =
  | { ok: true }
  | { ok: false; reason: RejectionReason; detail: string };

export interface ClaimInput {
  leadId: string;
  buyer: Buyer;
  row: Pick<BuyerRow, "id" | "timeZone" | "duplicateLookbackDays">;
  kind: TransactionKind;
  priceCents: number;
  bidCents: number | null;
  /** How many winners the lead may have in this sale: 1 exclusive, N shared. */
  limit: number;
  cascadePosition: number;
  at: Date;
}

/** Thrown inside the sale transaction to roll it back: a refusal writes nothing and waits for no fsync. */
class Refused extends Error {
  constructor(readonly claim: Extract<SaleClaim, { ok: false }>) {
    super(claim.detail);
  }
}

export async function claimSale(db: DbOrTx, c: ClaimInput): Promise<SaleClaim> {
  try {
    return await sell(db, c);
  } catch (err) {
    if (err instanceof Refused) return err.claim;
    throw err;
  }
}

async function sell(db: DbOrTx, c: ClaimInput): Promise<SaleClaim> {
  const refuse = (reason: RejectionReason, detail: string): never => {
    throw new Refused({ ok: false, reason, detail });
  };
  return db.transaction(async (tx) => {
    const [lead] = await tx
      .select({ id: leads.id, status: leads.status, winners: leads.winnerCount, phone: leads.phoneNormalized, email: leads.emailNormalized })
      .from(leads)
      .where(eq(leads.id, c.leadId))
      .for("update");
    if (!lead || lead.status !== "PROCESSING") refuse("POST_REJECTED", `lead is ${lead?.status ?? "missing"}, not PROCESSING`);
    if (lead!.winners >= c.limit) refuse("POST_REJECTED", `lead already has ${lead!.winners} of ${c.limit} buyers`);
    await tx.select({ id: buyers.id }).from(buyers).where(eq(buyers.id, c.row.id)).for("update");
    const { id, phone, email } = lead!;
    const counters = await readCounters(tx, [c.row], { id, phoneNormalized: phone, emailNormalized: email }, c.at);
    const verdict = checkSaleRules(c.buyer, counters[c.row.id]!, c.at);
    if (!verdict.ok) refuse(verdict.reason, verdict.detail);
    const sale = {
      kind: c.kind,
      isWinner: true,
      priceCents: c.priceCents,
      bidCents: c.bidCents,
      cascadePosition: c.cascadePosition,
      createdAt: c.at,
    };
    await tx
      .insert(transactions)
      .values({ leadId: c.leadId, buyerId: c.row.id, ...sale })
      .onConflictDoUpdate({ target: [transactions.leadId, transactions.buyerId], set: sale });
    await tx
      .update(leads)
      .set({ winnerCount: sql`${leads.winnerCount} + 1`, revenueCents: sql`${leads.revenueCents} + ${c.priceCents}` })
      .where(eq(leads.id, c.leadId));
    return { ok: true } as const;
  });
}

/** Undoes a reservation whose POST was refused. */
export async function releaseSale(db: DbOrTx, leadId: string, buyerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await skipFsync(tx); // finalize, synchronous, always follows (commit.ts)
    const [t] = await tx
      .update(transactions)
      .set({ isWinner: false })
      .where(and(eq(transactions.leadId, leadId), eq(transactions.buyerId, buyerId), eq(transactions.isWinner, true)))
      .returning({ price: transactions.priceCents });
    if (!t) return;
    await tx
      .update(leads)
      .set({ winnerCount: sql`${leads.winnerCount} - 1`, revenueCents: sql`${leads.revenueCents} - ${t.price ?? 0}` })
      .where(eq(leads.id, leadId));
  });
}
