// The moment of sale. One database transaction locks the lead row, then the buyer row (always in
// that order, so two sales cannot deadlock), re-reads the buyer's counters under the lock and
// re-checks hours, caps and duplicates before writing the sale. Concurrent auctions therefore
// cannot oversell a lead, overrun a cap or both buy the same person.
//
// A network's sale is reserved before its POST and released if the POST is refused: the POST is
// slow HTTP and must not hold a lock, and a reservation counts against the cap while it is open,
// so a cap can be under-used for a moment but never overrun.
import { leads, rowsOf, transactions, type DbOrTx } from "@leadflow/db";
import { checkSaleRules, type Buyer, type RejectionReason, type TransactionKind } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { skipFsync } from "./commit";
import { readCounters, type CounterBuyer, type LeadRow } from "./load";

export type SaleClaim =
  | { ok: true }
  | { ok: false; reason: RejectionReason; detail: string };

export interface ClaimInput {
  leadId: string;
  buyer: Buyer;
  row: CounterBuyer;
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
    // Both locks in one statement: the buyer's lock reads the lead's CTE, so whatever plan runs,
    // the lead row is locked first (the order every sale keeps, so two sales cannot deadlock).
    const locked = rowsOf<{ status: LeadRow["status"]; winners: number; phone: string | null; email: string | null; buyer: string | null }>(
      await tx.execute(sql`
        with l as (
          select id, status, winner_count, phone_normalized, email_normalized from leads where id = ${c.leadId}::uuid for update
        ), b as (
          select id from buyers where id = ${c.row.id}::uuid and exists (select 1 from l) for update
        )
        select l.status, l.winner_count as winners, l.phone_normalized as phone, l.email_normalized as email, b.id as buyer
        from l left join b on true`),
    );
    const lead = locked[0];
    if (!lead || lead.status !== "PROCESSING") refuse("POST_REJECTED", `lead is ${lead?.status ?? "missing"}, not PROCESSING`);
    if (lead!.winners >= c.limit) refuse("POST_REJECTED", `lead already has ${lead!.winners} of ${c.limit} buyers`);
    // A fresh statement, so a fresh snapshot: it sees every sale committed before our locks.
    const counters = await readCounters(tx, [c.row], { id: c.leadId, phoneNormalized: lead!.phone, emailNormalized: lead!.email }, c.at);
    const verdict = checkSaleRules(c.buyer, counters[c.row.id]!, c.at);
    if (!verdict.ok) refuse(verdict.reason, verdict.detail);
    const at = c.at.toISOString();
    await tx.execute(sql`
      with sale as (
        insert into transactions (lead_id, buyer_id, kind, is_winner, price_cents, bid_cents, cascade_position, created_at)
        values (${c.leadId}::uuid, ${c.row.id}::uuid, ${c.kind}::transaction_kind, true, ${c.priceCents}, ${c.bidCents}, ${c.cascadePosition}, ${at}::timestamptz)
        on conflict (lead_id, buyer_id) do update set kind = excluded.kind, is_winner = true, price_cents = excluded.price_cents,
          bid_cents = excluded.bid_cents, cascade_position = excluded.cascade_position, created_at = excluded.created_at
        returning 1
      )
      update leads set winner_count = winner_count + (select count(*) from sale), revenue_cents = revenue_cents + ${c.priceCents}
      where id = ${c.leadId}::uuid`);
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
