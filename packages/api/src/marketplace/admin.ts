// The admin's side: concierge queue and manual assignment, DJ management, marketplace metrics.
import { djs, leadAssignments, marketFunnelCounters, marketLeads, cityEventStats } from "@leadflow/db";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { callAttributionRate } from "../calls/stats";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "./common";
import { lockLead } from "./routing";

export async function conciergeQueue(s: MarketServices) {
  return s.db
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

/** An admin hands a concierge lead to a DJ by hand: recorded as an accepted offer in the concierge phase. */
export async function assignFromConcierge(s: MarketServices, input: { leadId: string; djId: string }) {
  await s.db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    if (lead.leadState !== "concierge") throw new AppError("CONFLICT", `Only a lead with the concierge team can be assigned by hand; this one is ${lead.leadState}.`);
    const [dj] = await tx.select().from(djs).where(eq(djs.id, input.djId));
    if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
    const now = s.clock.now();
    await tx
      .insert(leadAssignments)
      .values({ leadId: lead.id, djId: dj.id, phase: "concierge", phaseSeq: lead.phaseSeq, status: "accepted", offeredAt: now, respondedAt: now, windowEndsAt: new Date(now.getTime() + 86_400_000), responseTimeMs: 0 })
      .onConflictDoUpdate({
        target: [leadAssignments.leadId, leadAssignments.djId],
        set: { phase: "concierge", status: "accepted", offeredAt: now, respondedAt: now, windowEndsAt: new Date(now.getTime() + 86_400_000), responseTimeMs: 0 },
      });
    await tx.update(marketLeads).set({ leadState: "accepted", acceptedAt: now, acceptedDjId: dj.id, firstResponseAt: lead.firstResponseAt ?? now }).where(eq(marketLeads.id, lead.id));
    await recordLeadEvent(tx, now, lead.id, "concierge_assigned", `The concierge team assigned ${dj.name}.`, { djId: dj.id });
  });
}

export async function setDjStatus(s: MarketServices, input: { djId: string; isActive?: boolean; isSuspended?: boolean }) {
  const [row] = await s.db
    .update(djs)
    .set({ ...(input.isActive != null ? { isActive: input.isActive } : {}), ...(input.isSuspended != null ? { isSuspended: input.isSuspended } : {}) })
    .where(eq(djs.id, input.djId))
    .returning({ id: djs.id });
  if (!row) throw new AppError("NOT_FOUND", "That DJ does not exist.");
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** The seed's success metrics over the last 30 days, from real rows, beside their targets. */
export async function marketplaceMetrics(s: MarketServices) {
  const since = new Date(s.clock.now().getTime() - 30 * 86_400_000);
  const sinceIso = since.toISOString();
  const [leads] = await s.db
    .select({
      total: sql<number>`count(*)::int`,
      routed: sql<number>`count(*) filter (where ${marketLeads.phaseSeq} > 0)::int`,
      accepted: sql<number>`count(*) filter (where ${marketLeads.acceptedAt} is not null)::int`,
      converted: sql<number>`count(*) filter (where ${marketLeads.leadState} = 'converted')::int`,
      avgFirstResponseMs: sql<number | null>`(avg(extract(epoch from (${marketLeads.firstResponseAt} - ${marketLeads.createdAt}))) * 1000)::float8`,
    })
    .from(marketLeads)
    .where(gte(marketLeads.createdAt, since));
  const funnel = await s.db
    .select({ metric: marketFunnelCounters.metric, n: sql<number>`sum(${marketFunnelCounters.count})::int` })
    .from(marketFunnelCounters)
    .where(gte(marketFunnelCounters.day, sinceIso.slice(0, 10)))
    .groupBy(marketFunnelCounters.metric);
  const f = (m: string) => funnel.find((r) => r.metric === m)?.n ?? 0;
  const cities = await s.db
    .select({ city: cityEventStats.city, ratio: cityEventStats.demandSupplyRatio, band: cityEventStats.tensionBand, median: cityEventStats.medianPrice90dCents, p25: cityEventStats.priceP25Cents90d, p75: cityEventStats.priceP75Cents90d, djCount: cityEventStats.activeDjCount, leads30d: cityEventStats.leadCount30d })
    .from(cityEventStats)
    .where(and(eq(cityEventStats.eventType, "")))
    .orderBy(asc(cityEventStats.city));
  const l = leads!;
  const totalLeads = cities.reduce((a, c) => a + c.leads30d, 0);
  const totalDjs = cities.reduce((a, c) => a + c.djCount, 0);
  return {
    windowDays: 30,
    acceptanceRate: { value: ratio(l.accepted, l.routed), target: "> 60%" },
    firstResponseMs: { value: l.avgFirstResponseMs, target: "< 4 h" },
    conversionRate: { value: ratio(l.converted, l.total), target: "> 25%" },
    supplyDemand: { value: ratio(totalLeads, totalDjs), target: "1.0-2.0" },
    calculatorToInquiry: { value: ratio(f("inquiry_from_calculator"), f("calculator_view")), target: "> 15%", views: f("calculator_view"), inquiries: f("inquiry") },
    callAttribution: await callAttributionRate(s.db, since),
    counts: l,
    cities,
  };
}
