// The DJ's inbox: offers with their windows, accepted leads, and contacts they have unlocked.
// The customer's contact is joined in only through the DJ's own unlock row.
import { contactUnlocks, creditLedger, leadAssignments, marketLeads, type Db } from "@leadflow/db";
import { and, desc, eq, sql } from "drizzle-orm";

export async function djInbox(db: Db, djId: string) {
  const rows = await db
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
      contact: sql<{ name: string; email?: string | null; phone?: string | null } | null>`case when ${contactUnlocks.id} is not null then ${marketLeads.contact} end`,
    })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .leftJoin(contactUnlocks, and(eq(contactUnlocks.leadId, marketLeads.id), eq(contactUnlocks.djId, djId)))
    .where(eq(leadAssignments.djId, djId))
    .orderBy(desc(leadAssignments.offeredAt))
    .limit(200);
  return rows;
}

export async function djLedger(db: Db, djId: string) {
  return db
    .select({ id: creditLedger.id, kind: creditLedger.kind, credits: creditLedger.credits, balanceAfter: creditLedger.balanceAfter, leadId: creditLedger.leadId, amountCents: creditLedger.amountCents, createdAt: creditLedger.createdAt })
    .from(creditLedger)
    .where(eq(creditLedger.djId, djId))
    .orderBy(desc(creditLedger.createdAt))
    .limit(100);
}
