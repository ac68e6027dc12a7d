// What the admin's and a DJ's dashboard lists read straight from marketplace tables (routers
// market-admin and calls). The marketplace's own decisions read through queries/marketplace.
import { and, asc, desc, eq, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { djs, leadAssignments, marketLeadEvents, marketLeads } from "../schema";

/** DJs with their routing state, by city then best routing score (at most 500). */
export function listDjsForAdmin(db: DbOrTx, city?: string) {
  return db
    .select({
      id: djs.id,
      name: djs.name,
      city: djs.city,
      tier: djs.tier,
      priceMinCents: djs.priceMinCents,
      priceMaxCents: djs.priceMaxCents,
      reliability: djs.reliability,
      routingScore: djs.routingScore,
      routingComponents: djs.routingComponents,
      credits: djs.credits,
      isActive: djs.isActive,
      isSuspended: djs.isSuspended,
    })
    .from(djs)
    .where(city ? eq(djs.city, city) : undefined)
    .orderBy(asc(djs.city), desc(djs.routingScore), asc(djs.id))
    .limit(500);
}

/** Active DJs a tracking number can go to, by city then name. */
export function listActiveDjChoices(db: DbOrTx) {
  return db
    .select({ id: djs.id, name: djs.name, city: djs.city })
    .from(djs)
    .where(eq(djs.isActive, true))
    .orderBy(djs.city, djs.name)
    .limit(2000);
}

/** The 50 newest marketplace leads. */
export function listRecentMarketLeads(db: DbOrTx) {
  return db
    .select({
      id: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      state: marketLeads.leadState,
      scoreTotal: marketLeads.scoreTotal,
      createdAt: marketLeads.createdAt,
    })
    .from(marketLeads)
    .orderBy(desc(marketLeads.createdAt))
    .limit(50);
}

export async function getMarketLead(db: DbOrTx, id: string) {
  const [lead] = await db.select().from(marketLeads).where(eq(marketLeads.id, id));
  return lead;
}

/** A marketplace lead's timeline, oldest first. */
export function listMarketLeadEvents(db: DbOrTx, leadId: string) {
  return db
    .select()
    .from(marketLeadEvents)
    .where(eq(marketLeadEvents.leadId, leadId))
    .orderBy(asc(marketLeadEvents.at), asc(marketLeadEvents.seq));
}

/** The DJ's leads a call can be linked to: offered to or won by them, newest first (100). */
export function listDjLinkableLeads(db: DbOrTx, djId: string) {
  return db
    .selectDistinct({
      id: marketLeads.id,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      city: marketLeads.city,
      createdAt: marketLeads.createdAt,
    })
    .from(marketLeads)
    .leftJoin(leadAssignments, and(eq(leadAssignments.leadId, marketLeads.id), eq(leadAssignments.djId, djId)))
    .where(or(eq(leadAssignments.djId, djId), eq(marketLeads.acceptedDjId, djId)))
    .orderBy(desc(marketLeads.createdAt))
    .limit(100);
}
