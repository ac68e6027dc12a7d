// The DJ marketplace's leads, offers, DJs, timeline and routing settings. Locks are taken where
// the routing and response services need them (FOR UPDATE on the lead, FOR NO KEY UPDATE on a DJ).
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import { djs, leadAssignments, marketLeadEvents, marketLeads, marketSettings } from "../schema";

export type DjRow = typeof djs.$inferSelect;
export type DjUpdate = Partial<typeof djs.$inferInsert>;
export type MarketLeadRow = typeof marketLeads.$inferSelect;
export type MarketLeadInsert = typeof marketLeads.$inferInsert;
export type MarketLeadUpdate = Partial<MarketLeadInsert>;
export type LeadAssignmentInsert = typeof leadAssignments.$inferInsert;

export async function insertMarketLeadEvent(
  db: DbOrTx,
  e: { leadId: string; at: Date; kind: string; message: string; data: Record<string, unknown> },
): Promise<void> {
  await db.insert(marketLeadEvents).values(e);
}

// ---- DJs

export async function getDjById(db: DbOrTx, djId: string): Promise<DjRow | undefined> {
  const [dj] = await db.select().from(djs).where(eq(djs.id, djId));
  return dj;
}

export async function getDjByOrg(db: DbOrTx, orgId: string): Promise<DjRow | undefined> {
  const [dj] = await db.select().from(djs).where(eq(djs.orgId, orgId));
  return dj;
}

/** The DJ's row, locked FOR NO KEY UPDATE so offers referencing the DJ are not held up. */
export async function lockDjRow(tx: Tx, djId: string): Promise<DjRow | undefined> {
  const [dj] = await tx.select().from(djs).where(eq(djs.id, djId)).for("no key update");
  return dj;
}

export async function updateDj(db: DbOrTx, djId: string, set: DjUpdate): Promise<DjRow | undefined> {
  const [dj] = await db.update(djs).set(set).where(eq(djs.id, djId)).returning();
  return dj;
}

export async function updateDjStatus(
  db: DbOrTx,
  djId: string,
  p: { isActive?: boolean; isSuspended?: boolean },
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .update(djs)
    .set({
      ...(p.isActive != null ? { isActive: p.isActive } : {}),
      ...(p.isSuspended != null ? { isSuspended: p.isSuspended } : {}),
    })
    .where(eq(djs.id, djId))
    .returning({ id: djs.id });
  return row;
}

export async function updateDjRoutingScoreColumns(
  db: DbOrTx,
  djId: string,
  p: { total: number; components: Record<string, number>; at: Date },
): Promise<void> {
  await db
    .update(djs)
    .set({ routingScore: p.total, routingComponents: p.components, routingComputedAt: p.at })
    .where(eq(djs.id, djId));
}

/** Every DJ, by city, for the daily routing-score job. */
export async function listDjsByCity(db: DbOrTx): Promise<DjRow[]> {
  return db.select().from(djs).orderBy(asc(djs.city));
}

// ---- leads

export async function insertMarketLead(tx: DbOrTx, values: MarketLeadInsert): Promise<{ id: string }> {
  const [row] = await tx.insert(marketLeads).values(values).returning({ id: marketLeads.id });
  return row!;
}

/** The lead's row FOR UPDATE: every routing step and answer on one lead runs one at a time. */
export async function lockMarketLead(tx: Tx, leadId: string): Promise<MarketLeadRow | undefined> {
  const [lead] = await tx.select().from(marketLeads).where(eq(marketLeads.id, leadId)).for("update");
  return lead;
}

export async function updateMarketLead(db: DbOrTx, leadId: string, set: MarketLeadUpdate): Promise<void> {
  await db.update(marketLeads).set(set).where(eq(marketLeads.id, leadId));
}

export async function listConciergeLeads(db: DbOrTx) {
  return db
    .select({
      id: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      budgetMinCents: marketLeads.budgetMinCents,
      budgetMaxCents: marketLeads.budgetMaxCents,
      scoreTotal: marketLeads.scoreTotal,
      reason: marketLeads.conciergeReason,
      createdAt: marketLeads.createdAt,
    })
    .from(marketLeads)
    .where(eq(marketLeads.leadState, "concierge"))
    .orderBy(asc(marketLeads.createdAt));
}

/** When the sweeper must next look at the lead (null: nothing is due). */
export async function setMarketLeadDue(tx: DbOrTx, leadId: string, dueAt: Date | null): Promise<void> {
  await tx.update(marketLeads).set({ dueAt }).where(eq(marketLeads.id, leadId));
}

/** How many leads are due by `now` (the benchmark's and the health check's backlog). */
export async function countDueMarketLeads(db: DbOrTx, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(marketLeads)
    .where(lte(marketLeads.dueAt, now));
  return row?.n ?? 0;
}

// ---- offers

export async function insertOffers(tx: Tx, rows: LeadAssignmentInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(leadAssignments).values(rows);
}

/** Offers of this lead still open whose window ended by `now` become ignored; answers their DJs. */
export async function markOffersIgnored(tx: Tx, leadId: string, now: Date): Promise<{ djId: string }[]> {
  return tx
    .update(leadAssignments)
    .set({ status: "ignored" })
    .where(
      and(
        eq(leadAssignments.leadId, leadId),
        eq(leadAssignments.status, "offered"),
        lte(leadAssignments.windowEndsAt, now),
      ),
    )
    .returning({ djId: leadAssignments.djId });
}

/** The DJ's offer with the lead's state, to say why an answer was refused. */
export async function getOfferWithLeadState(tx: DbOrTx, leadId: string, djId: string) {
  const [a] = await tx
    .select({
      djId: leadAssignments.djId,
      status: leadAssignments.status,
      windowEndsAt: leadAssignments.windowEndsAt,
      leadState: marketLeads.leadState,
    })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .where(and(eq(leadAssignments.leadId, leadId), eq(leadAssignments.djId, djId)));
  return a;
}

/**
 * Records the DJ's answer, only on an open offer inside its window (offered_at <= now <
 * window_ends_at); undefined when no such offer exists.
 */
export async function answerOffer(
  tx: Tx,
  p: {
    leadId: string;
    djId: string;
    action: "accepted" | "declined";
    now: Date;
    quoteCents: number | null;
    message: string | null;
  },
) {
  const [answered] = await tx
    .update(leadAssignments)
    .set({
      status: p.action,
      respondedAt: p.now,
      responseTimeMs: sql`(extract(epoch from (${p.now.toISOString()}::timestamptz - ${leadAssignments.offeredAt})) * 1000)::bigint`,
      quoteCents: p.quoteCents,
      message: p.message,
    })
    .where(
      and(
        eq(leadAssignments.leadId, p.leadId),
        eq(leadAssignments.djId, p.djId),
        eq(leadAssignments.status, "offered"),
        lte(leadAssignments.offeredAt, p.now),
        gt(leadAssignments.windowEndsAt, p.now),
      ),
    )
    .returning();
  return answered;
}

export async function listPhaseOfferStatuses(tx: DbOrTx, leadId: string, phaseSeq: number) {
  return tx
    .select({ status: leadAssignments.status })
    .from(leadAssignments)
    .where(and(eq(leadAssignments.leadId, leadId), eq(leadAssignments.phaseSeq, phaseSeq)));
}

/** The DJ's offer on the lead (any status, or only those listed). */
export async function findOfferId(
  tx: DbOrTx,
  leadId: string,
  djId: string,
  statuses?: ("accepted" | "offered")[],
): Promise<{ id: string } | undefined> {
  const [row] = await tx
    .select({ id: leadAssignments.id })
    .from(leadAssignments)
    .where(
      and(
        eq(leadAssignments.leadId, leadId),
        eq(leadAssignments.djId, djId),
        ...(statuses ? [inArray(leadAssignments.status, statuses)] : []),
      ),
    );
  return row;
}

/** The concierge team's hand assignment: an accepted offer in the concierge phase, a day's window. */
export async function upsertConciergeOffer(
  tx: Tx,
  p: { leadId: string; djId: string; phaseSeq: number; now: Date },
): Promise<void> {
  const windowEndsAt = new Date(p.now.getTime() + 86_400_000);
  await tx
    .insert(leadAssignments)
    .values({
      leadId: p.leadId,
      djId: p.djId,
      phase: "concierge",
      phaseSeq: p.phaseSeq,
      status: "accepted",
      offeredAt: p.now,
      respondedAt: p.now,
      windowEndsAt,
      responseTimeMs: 0,
    })
    .onConflictDoUpdate({
      target: [leadAssignments.leadId, leadAssignments.djId],
      set: {
        phase: "concierge",
        status: "accepted",
        offeredAt: p.now,
        respondedAt: p.now,
        windowEndsAt: new Date(p.now.getTime() + 86_400_000),
        responseTimeMs: 0,
      },
    });
}

// ---- settings

const SETTINGS_ID = "default";

/** The stored (partial, unvalidated) routing settings, or null before an admin saved any. */
export async function getRoutingSettings(db: DbOrTx): Promise<unknown> {
  const [row] = await db
    .select({ routing: marketSettings.routing })
    .from(marketSettings)
    .where(eq(marketSettings.id, SETTINGS_ID));
  return row?.routing ?? null;
}

export async function upsertRoutingSettings(
  db: DbOrTx,
  p: { routing: Record<string, number>; now: Date; userId: string },
): Promise<void> {
  await db
    .insert(marketSettings)
    .values({ id: SETTINGS_ID, routing: p.routing, updatedAt: p.now, updatedByUserId: p.userId })
    .onConflictDoUpdate({
      target: marketSettings.id,
      set: { routing: p.routing, updatedAt: p.now, updatedByUserId: p.userId },
    });
}

/** The stored (unvalidated) per-city routing windows; {} before an admin saved any. */
export async function getCityWindowSettings(db: DbOrTx): Promise<unknown> {
  const [row] = await db
    .select({ cityWindows: marketSettings.cityWindows })
    .from(marketSettings)
    .where(eq(marketSettings.id, SETTINGS_ID));
  return row?.cityWindows ?? {};
}

export async function upsertCityWindowSettings(
  db: DbOrTx,
  p: { cityWindows: Record<string, Record<string, number>>; now: Date; userId: string },
): Promise<void> {
  await db
    .insert(marketSettings)
    .values({ id: SETTINGS_ID, cityWindows: p.cityWindows, updatedAt: p.now, updatedByUserId: p.userId })
    .onConflictDoUpdate({
      target: marketSettings.id,
      set: { cityWindows: p.cityWindows, updatedAt: p.now, updatedByUserId: p.userId },
    });
}
