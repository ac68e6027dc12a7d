// The couple's side of the marketplace (issue #17 item 3): the lead's contact for the couple's own
// emails, the DJs a choice affects, the message threads and who may see whose contact.
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { contactUnlocks, djNotifySettings, djs, leadAssignments, marketLeadMessages, marketLeads } from "../schema";

export type LeadMessageRow = typeof marketLeadMessages.$inferSelect;

/** What the couple's own messages need: their contact, the event and where the lead stands. */
export async function getCoupleLead(db: DbOrTx, leadId: string) {
  const [lead] = await db
    .select({
      id: marketLeads.id,
      contact: marketLeads.contact,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      leadState: marketLeads.leadState,
      convertedDjId: marketLeads.convertedDjId,
      comparisonTokenHash: marketLeads.comparisonTokenHash,
    })
    .from(marketLeads)
    .where(eq(marketLeads.id, leadId));
  return lead;
}

/** A DJ's offer on a lead with the DJ's name: undefined when the lead was never offered to them. */
export async function getOfferOfDj(db: DbOrTx, leadId: string, djId: string) {
  const [row] = await db
    .select({ status: leadAssignments.status, djName: djs.name, quoteCents: leadAssignments.quoteCents })
    .from(leadAssignments)
    .innerJoin(djs, eq(djs.id, leadAssignments.djId))
    .where(and(eq(leadAssignments.leadId, leadId), eq(leadAssignments.djId, djId)));
  return row;
}

/**
 * Marks the accepted offers of every DJ but the chosen one: the couple went elsewhere. Returns
 * those DJs (each told once: an offer already marked is not returned again).
 */
export async function markOffersChoseOther(db: DbOrTx, leadId: string, chosenDjId: string, now: Date) {
  return db
    .update(leadAssignments)
    .set({ choseOtherAt: now })
    .where(
      and(
        eq(leadAssignments.leadId, leadId),
        ne(leadAssignments.djId, chosenDjId),
        eq(leadAssignments.status, "accepted"),
        isNull(leadAssignments.choseOtherAt),
      ),
    )
    .returning({ djId: leadAssignments.djId });
}

/** The DJs whose offers on the lead are not answered yet (their date locks end with the booking). */
export async function listOpenOfferDjIds(db: DbOrTx, leadId: string): Promise<string[]> {
  const rows = await db
    .select({ djId: leadAssignments.djId })
    .from(leadAssignments)
    .where(and(eq(leadAssignments.leadId, leadId), eq(leadAssignments.status, "offered")));
  return rows.map((r) => r.djId);
}

/** Where a DJ's email goes: the address chosen for notifications, else the profile's contact. */
export async function getDjMailTarget(db: DbOrTx, djId: string) {
  const [row] = await db
    .select({
      name: djs.name,
      orgId: djs.orgId,
      contactEmail: djs.contactEmail,
      emailTo: djNotifySettings.emailTo,
    })
    .from(djs)
    .leftJoin(djNotifySettings, eq(djNotifySettings.djId, djs.id))
    .where(eq(djs.id, djId));
  return row ? { name: row.name, orgId: row.orgId, email: row.emailTo ?? row.contactEmail ?? null } : undefined;
}

export async function hasContactUnlock(db: DbOrTx, djId: string, leadId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: contactUnlocks.id })
    .from(contactUnlocks)
    .where(and(eq(contactUnlocks.djId, djId), eq(contactUnlocks.leadId, leadId)));
  return !!row;
}

export async function insertLeadMessage(
  db: DbOrTx,
  m: { leadId: string; djId: string; sender: "couple" | "dj"; body: string; redacted: boolean; createdAt: Date },
): Promise<LeadMessageRow> {
  const [row] = await db.insert(marketLeadMessages).values(m).returning();
  return row!;
}

/** The lead's messages, oldest first; one DJ's thread when djId is given. */
export async function listLeadMessages(db: DbOrTx, leadId: string, djId?: string) {
  return db
    .select({
      id: marketLeadMessages.id,
      djId: marketLeadMessages.djId,
      sender: marketLeadMessages.sender,
      body: marketLeadMessages.body,
      redacted: marketLeadMessages.redacted,
      createdAt: marketLeadMessages.createdAt,
    })
    .from(marketLeadMessages)
    .where(
      djId
        ? and(eq(marketLeadMessages.leadId, leadId), eq(marketLeadMessages.djId, djId))
        : eq(marketLeadMessages.leadId, leadId),
    )
    .orderBy(asc(marketLeadMessages.seq))
    .limit(500);
}
