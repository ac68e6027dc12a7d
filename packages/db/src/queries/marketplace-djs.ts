// The DJ's side of the marketplace: credits (a ledger beside a balance that never goes below
// zero), contact unlocks, the inbox, and the customer's comparison page.
import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import { contactUnlocks, creditLedger, djs, leadAssignments, marketFunnelCounters, marketLeads } from "../schema";

export type CreditLedgerInsert = typeof creditLedger.$inferInsert;

/** Adds (or with a negative count, removes) credits unconditionally; undefined when the DJ does not exist. */
export async function addDjCredits(tx: Tx, djId: string, credits: number): Promise<{ credits: number } | undefined> {
  const [dj] = await tx
    .update(djs)
    .set({ credits: sql`${djs.credits} + ${credits}` })
    .where(eq(djs.id, djId))
    .returning({ credits: djs.credits });
  return dj;
}

/** Takes `cost` credits only if the DJ has that many (conditional UPDATE); undefined when too few. */
export async function debitDjCredits(
  tx: Tx,
  djId: string,
  cost: number,
): Promise<{ credits: number; name: string } | undefined> {
  const [dj] = await tx
    .update(djs)
    .set({ credits: sql`${djs.credits} - ${cost}` })
    .where(and(eq(djs.id, djId), gte(djs.credits, cost)))
    .returning({ credits: djs.credits, name: djs.name });
  return dj;
}

export async function insertCreditLedgerEntry(tx: Tx, entry: CreditLedgerInsert): Promise<void> {
  await tx.insert(creditLedger).values(entry);
}

/** The lead's contact and this DJ's offer status; undefined when it was never offered to the DJ. */
export async function getUnlockTarget(tx: Tx, leadId: string, djId: string) {
  const [lead] = await tx
    .select({ contact: marketLeads.contact, status: leadAssignments.status })
    .from(marketLeads)
    .innerJoin(leadAssignments, and(eq(leadAssignments.leadId, marketLeads.id), eq(leadAssignments.djId, djId)))
    .where(eq(marketLeads.id, leadId));
  return lead;
}

/**
 * The unlock row, once per (DJ, lead): true when this call inserted it. A concurrent insert waits
 * on the first one's row and then finds it there (ON CONFLICT DO NOTHING).
 */
export async function insertContactUnlock(tx: Tx, p: { djId: string; leadId: string; at: Date }): Promise<boolean> {
  const inserted = await tx
    .insert(contactUnlocks)
    .values({ djId: p.djId, leadId: p.leadId, unlockedAt: p.at })
    .onConflictDoNothing()
    .returning({ id: contactUnlocks.id });
  return inserted.length > 0;
}

/** The DJ's offers, newest first; the customer's contact only through the DJ's own unlock row. */
export async function listDjInbox(db: DbOrTx, djId: string) {
  return db
    .select({
      leadId: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      budgetMinCents: marketLeads.budgetMinCents,
      budgetMaxCents: marketLeads.budgetMaxCents,
      guestCount: marketLeads.guestCount,
      venueName: marketLeads.venueName,
      musicPreferences: marketLeads.musicPreferences,
      notes: marketLeads.notes,
      leadState: marketLeads.leadState,
      phase: leadAssignments.phase,
      status: leadAssignments.status,
      offeredAt: leadAssignments.offeredAt,
      windowEndsAt: leadAssignments.windowEndsAt,
      respondedAt: leadAssignments.respondedAt,
      quoteCents: leadAssignments.quoteCents,
      choseOtherAt: leadAssignments.choseOtherAt,
      contact: sql<{
        name: string;
        email?: string | null;
        phone?: string | null;
      } | null>`case when ${contactUnlocks.id} is not null then ${marketLeads.contact} end`,
    })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .leftJoin(contactUnlocks, and(eq(contactUnlocks.leadId, marketLeads.id), eq(contactUnlocks.djId, djId)))
    .where(eq(leadAssignments.djId, djId))
    .orderBy(desc(leadAssignments.offeredAt))
    .limit(200);
}

export async function listDjLedger(db: DbOrTx, djId: string) {
  return db
    .select({
      id: creditLedger.id,
      kind: creditLedger.kind,
      credits: creditLedger.credits,
      balanceAfter: creditLedger.balanceAfter,
      leadId: creditLedger.leadId,
      amountCents: creditLedger.amountCents,
      createdAt: creditLedger.createdAt,
    })
    .from(creditLedger)
    .where(eq(creditLedger.djId, djId))
    .orderBy(desc(creditLedger.createdAt))
    .limit(100);
}

export async function updateDjPriceRange(tx: Tx, djId: string, p: { priceMinCents: number; priceMaxCents: number }) {
  const [dj] = await tx
    .update(djs)
    .set({ priceMinCents: p.priceMinCents, priceMaxCents: p.priceMaxCents })
    .where(eq(djs.id, djId))
    .returning();
  return dj;
}

/** The comparison page's lead, found by the hash of its token; column by column, no contact. */
export async function getComparisonLead(db: DbOrTx, tokenHash: string) {
  const [lead] = await db
    .select({
      id: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      state: marketLeads.leadState,
      createdAt: marketLeads.createdAt,
    })
    .from(marketLeads)
    .where(eq(marketLeads.comparisonTokenHash, tokenHash));
  return lead;
}

/** The DJs who accepted the lead or still hold an open offer, by answer time; no contact fields. */
export async function listComparisonAnswers(db: DbOrTx, leadId: string) {
  return db
    .select({
      djId: djs.id,
      djName: djs.name,
      tier: djs.tier,
      status: leadAssignments.status,
      quoteCents: leadAssignments.quoteCents,
      message: leadAssignments.message,
      respondedAt: leadAssignments.respondedAt,
    })
    .from(leadAssignments)
    .innerJoin(djs, eq(djs.id, leadAssignments.djId))
    .where(and(eq(leadAssignments.leadId, leadId), inArray(leadAssignments.status, ["accepted", "offered"])))
    .orderBy(asc(leadAssignments.respondedAt));
}

/** Adds one to a funnel counter of a city and UTC day, in place. */
export async function incrementFunnelCounter(
  db: DbOrTx,
  p: { day: string; city: string; metric: string },
): Promise<void> {
  await db
    .insert(marketFunnelCounters)
    .values({ day: p.day, city: p.city, metric: p.metric, count: 1 })
    .onConflictDoUpdate({
      target: [marketFunnelCounters.day, marketFunnelCounters.city, marketFunnelCounters.metric],
      set: { count: sql`${marketFunnelCounters.count} + 1` },
    });
}
