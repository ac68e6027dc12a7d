// What the insight pages read: the lead timelines (auction and marketplace), the "why not" rows
// of a buyer or a DJ, and the DJ verdicts written when routing starts. Some read the auction's
// and the buyers' tables (leads, transactions, buyers); they sit here because only insight asks
// them this way.
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import {
  buyers,
  contactUnlocks,
  deliveries,
  djAvailability,
  djs,
  leadAssignments,
  leadEvents,
  leads,
  marketLeadEvents,
  marketLeads,
  transactions,
} from "../schema";

/**
 * The city's best-ranked active, unsuspended DJs (at most `limit`), with their availability on
 * the date. Written as the partial index's own predicate, so the planner uses djs_city_routing_idx.
 */
export async function listDjVerdictCandidates(tx: DbOrTx, p: { city: string; eventDate: string; limit: number }) {
  return tx
    .select({
      id: djs.id,
      name: djs.name,
      isActive: djs.isActive,
      isSuspended: djs.isSuspended,
      cooldownUntil: djs.cooldownUntil,
      reliability: djs.reliability,
      priceMinCents: djs.priceMinCents,
      priceMaxCents: djs.priceMaxCents,
      status: djAvailability.status,
      lockedByLeadId: djAvailability.lockedByLeadId,
      lockedUntil: djAvailability.lockedUntil,
      heldByLeadId: djAvailability.heldByLeadId,
    })
    .from(djs)
    .leftJoin(djAvailability, and(eq(djAvailability.djId, djs.id), eq(djAvailability.date, p.eventDate)))
    .where(and(eq(djs.city, p.city), sql`${djs.isActive} and not ${djs.isSuspended}`))
    .orderBy(desc(djs.routingScore), asc(djs.id))
    .limit(p.limit);
}

// ---- timelines

export async function auctionLeadExists(db: DbOrTx, leadId: string): Promise<boolean> {
  const [a] = await db.select({ id: leads.id }).from(leads).where(eq(leads.id, leadId));
  return a !== undefined;
}

/** An auction lead with its events, transactions and deliveries (buyer names joined), or null. */
export async function loadAuctionLeadTimeline(db: DbOrTx, leadId: string) {
  const [lead] = await db.select().from(leads).where(eq(leads.id, leadId));
  if (!lead) return null;
  const [events, txs, dels] = await Promise.all([
    db
      .select({ e: leadEvents, name: buyers.name })
      .from(leadEvents)
      .leftJoin(buyers, eq(buyers.id, leadEvents.buyerId))
      .where(eq(leadEvents.leadId, leadId))
      .orderBy(asc(leadEvents.id)),
    db
      .select({ t: transactions, name: buyers.name, type: buyers.type })
      .from(transactions)
      .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
      .where(eq(transactions.leadId, leadId))
      .orderBy(asc(transactions.cascadePosition), asc(transactions.buyerId)),
    db
      .select({ d: deliveries, name: buyers.name })
      .from(deliveries)
      .innerJoin(buyers, eq(buyers.id, deliveries.buyerId))
      .where(eq(deliveries.leadId, leadId))
      .orderBy(asc(deliveries.createdAt)),
  ]);
  return { lead, events, txs, dels };
}

/** A marketplace lead with its events, offers and unlocks (DJ names joined), or null. */
export async function loadMarketLeadTimeline(db: DbOrTx, leadId: string) {
  const [lead] = await db.select().from(marketLeads).where(eq(marketLeads.id, leadId));
  if (!lead) return null;
  const [events, offers, unlocks] = await Promise.all([
    db
      .select()
      .from(marketLeadEvents)
      .where(eq(marketLeadEvents.leadId, leadId))
      .orderBy(asc(marketLeadEvents.at), asc(marketLeadEvents.seq)),
    db
      .select({ a: leadAssignments, name: djs.name })
      .from(leadAssignments)
      .innerJoin(djs, eq(djs.id, leadAssignments.djId))
      .where(eq(leadAssignments.leadId, leadId))
      .orderBy(asc(leadAssignments.offeredAt), asc(djs.name)),
    db
      .select({ u: contactUnlocks, name: djs.name })
      .from(contactUnlocks)
      .innerJoin(djs, eq(djs.id, contactUnlocks.djId))
      .where(and(eq(contactUnlocks.leadId, leadId))),
  ]);
  return { lead, events, offers, unlocks };
}

// ---- why not

/** A window of time: [from, before) when paging with `before`, else [from, to]. */
export interface WhyNotWindow {
  from: Date;
  to: Date;
  before?: Date | undefined;
  limit: number;
}

/** Buyers by id (an admin picking one) or of an organisation (optionally one of them). */
export async function listInsightBuyers(
  db: DbOrTx,
  p: { buyerId: string } | { orgId: string; buyerId?: string | undefined },
) {
  if (!("orgId" in p))
    return db.select({ id: buyers.id, name: buyers.name }).from(buyers).where(eq(buyers.id, p.buyerId));
  return db
    .select({ id: buyers.id, name: buyers.name })
    .from(buyers)
    .where(and(eq(buyers.orgId, p.orgId), p.buyerId ? eq(buyers.id, p.buyerId) : undefined));
}

/**
 * Every eligibility verdict the auction wrote for these buyers in the window, joined to the
 * buyer's transaction when it took part, newest first (lead_events_buyer_eligibility_idx).
 */
export async function listBuyerVerdicts(db: DbOrTx, buyerIds: string[], w: WhyNotWindow) {
  return db
    .select({
      leadId: leads.id,
      receivedAt: leads.receivedAt,
      vertical: leads.vertical,
      zip: leads.zip,
      leadStatus: leads.status,
      consideredAt: leadEvents.at,
      buyerId: leadEvents.buyerId,
      verdict: leadEvents.data,
      kind: transactions.kind,
      pingOutcome: transactions.pingOutcome,
      bidCents: transactions.bidCents,
      latencyMs: transactions.latencyMs,
      isWinner: transactions.isWinner,
      lostReason: transactions.lostReason,
      cascadePosition: transactions.cascadePosition,
      priceCents: transactions.priceCents,
      winningBidAmountCents: transactions.winningBidAmountCents,
      detail: transactions.detail,
      // What the lead sold for when this buyer never competed: an amount, not a who.
      soldForCents: sql<
        number | null
      >`(select max(w.price_cents) from ${transactions} w where w.lead_id = ${leads.id} and w.is_winner)`,
    })
    .from(leadEvents)
    .innerJoin(leads, eq(leads.id, leadEvents.leadId))
    .leftJoin(
      transactions,
      and(eq(transactions.leadId, leadEvents.leadId), eq(transactions.buyerId, leadEvents.buyerId)),
    )
    .where(
      and(
        eq(leadEvents.kind, "eligibility"),
        inArray(leadEvents.buyerId, buyerIds),
        gte(leadEvents.at, w.from),
        w.before ? lt(leadEvents.at, w.to) : lte(leadEvents.at, w.to),
      ),
    )
    .orderBy(desc(leadEvents.at), desc(leadEvents.id))
    .limit(w.limit);
}

/** A DJ by id or by organisation: the fields a "why not" page shows. */
export async function getInsightDj(db: DbOrTx, p: { djId: string } | { orgId: string }) {
  const [dj] =
    "djId" in p
      ? await db.select({ id: djs.id, name: djs.name, city: djs.city }).from(djs).where(eq(djs.id, p.djId))
      : await db.select({ id: djs.id, name: djs.name, city: djs.city }).from(djs).where(eq(djs.orgId, p.orgId));
  return dj;
}

/** The DJ's offers in the window with their leads, newest first. */
export async function listDjOfferOutcomes(db: DbOrTx, djId: string, w: WhyNotWindow) {
  return db
    .select({
      leadId: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      leadState: marketLeads.leadState,
      acceptedDjId: marketLeads.acceptedDjId,
      convertedDjId: marketLeads.convertedDjId,
      phase: leadAssignments.phase,
      status: leadAssignments.status,
      offeredAt: leadAssignments.offeredAt,
      windowEndsAt: leadAssignments.windowEndsAt,
      respondedAt: leadAssignments.respondedAt,
      responseTimeMs: leadAssignments.responseTimeMs,
      quoteCents: leadAssignments.quoteCents,
    })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .where(
      and(
        eq(leadAssignments.djId, djId),
        gte(leadAssignments.offeredAt, w.from),
        w.before ? lt(leadAssignments.offeredAt, w.to) : lte(leadAssignments.offeredAt, w.to),
      ),
    )
    .orderBy(desc(leadAssignments.offeredAt), desc(leadAssignments.id))
    .limit(w.limit);
}

/**
 * Leads of the DJ's city it was checked for but not offered in the window, with only its own
 * verdict taken out of the event (in SQL); the city's leads of the period first
 * (market_leads_city_created_idx), then each lead's events.
 */
export async function listDjNotOffered(
  db: DbOrTx,
  dj: { id: string; city: string },
  w: WhyNotWindow & { leadsSince: Date },
) {
  return db
    .select({
      leadId: marketLeads.id,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      at: marketLeadEvents.at,
      verdict: sql<{ eligible: boolean; failures: { rule: string; detail: string }[] } | null>`(
        select v from jsonb_array_elements(${marketLeadEvents.data}->'verdicts') v where v->>'djId' = ${dj.id} limit 1)`,
    })
    .from(marketLeadEvents)
    .innerJoin(marketLeads, eq(marketLeads.id, marketLeadEvents.leadId))
    .where(
      and(
        eq(marketLeads.city, dj.city),
        gte(marketLeads.createdAt, w.leadsSince),
        eq(marketLeadEvents.kind, "eligibility"),
        sql`${marketLeadEvents.data}->'verdicts' @> ${JSON.stringify([{ djId: dj.id }])}::jsonb`,
        gte(marketLeadEvents.at, w.from),
        w.before ? lt(marketLeadEvents.at, w.to) : lte(marketLeadEvents.at, w.to),
        sql`not exists (select 1 from ${leadAssignments} a where a.lead_id = ${marketLeads.id} and a.dj_id = ${dj.id})`,
      ),
    )
    .orderBy(desc(marketLeadEvents.at))
    .limit(w.limit);
}
