// "Why didn't I get this lead?": for each lead a buyer (or a DJ) was considered for, its own
// verdict, outcome and lost reason, and for auctions what the winner paid. Only the caller's own
// rows are read; a competitor appears only as an amount, never by id or name.
import { buyers, djs, leadAssignments, leadEvents, leads, marketLeadEvents, marketLeads, transactions, type DbOrTx } from "@leadflow/db";
import { SALE_RULE_REASONS } from "@leadflow/engine";
import { and, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { AppError } from "../errors";

export interface WhyNotQuery {
  days: number;
  before?: Date | undefined;
  limit: number;
  /** Admins: whose view to see. Others: one of their own buyers, or all of them. */
  buyerId?: string | undefined;
}

export interface Viewer {
  orgId: string;
  role: string;
}

const DAY = 86_400_000;

const isSaleRule = (reason: string) => (SALE_RULE_REASONS as readonly string[]).includes(reason);

/** The buyers whose view the caller may read: its own organisation's, or (admin) the one asked for. */
async function ownBuyers(db: DbOrTx, v: Viewer, buyerId: string | undefined) {
  if (v.role === "admin") {
    if (!buyerId) throw new AppError("BAD_REQUEST", "Choose a buyer to see its view.", { buyerId: ["Choose a buyer."] });
    return db.select({ id: buyers.id, name: buyers.name }).from(buyers).where(eq(buyers.id, buyerId));
  }
  const rows = await db
    .select({ id: buyers.id, name: buyers.name })
    .from(buyers)
    .where(and(eq(buyers.orgId, v.orgId), buyerId ? eq(buyers.id, buyerId) : undefined));
  if (buyerId && rows.length === 0) throw new AppError("NOT_FOUND", "No such buyer.");
  return rows;
}

/**
 * One row per (lead, own buyer) that was considered: every eligibility verdict the auction wrote
 * for the buyer, joined to its transaction when it took part. A buyer that competed always has a
 * verdict, so the verdicts are the complete list.
 */
export async function auctionWhyNot(db: DbOrTx, v: Viewer, q: WhyNotQuery, now: Date) {
  const mine = await ownBuyers(db, v, q.buyerId);
  if (mine.length === 0) return { buyers: [], items: [] };
  const ids = mine.map((b) => b.id);
  const to = q.before ?? now;
  const from = new Date(now.getTime() - q.days * DAY);
  const rows = await db
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
      soldForCents: sql<number | null>`(select max(w.price_cents) from ${transactions} w where w.lead_id = ${leads.id} and w.is_winner)`,
    })
    .from(leadEvents)
    .innerJoin(leads, eq(leads.id, leadEvents.leadId))
    .leftJoin(transactions, and(eq(transactions.leadId, leadEvents.leadId), eq(transactions.buyerId, leadEvents.buyerId)))
    // By the verdict's time (when the auction considered the buyer): lead_events_buyer_eligibility_idx.
    .where(and(eq(leadEvents.kind, "eligibility"), inArray(leadEvents.buyerId, ids), gte(leadEvents.at, from), q.before ? lt(leadEvents.at, to) : lte(leadEvents.at, to)))
    .orderBy(desc(leadEvents.at), desc(leadEvents.id))
    .limit(q.limit);
  const names = new Map(mine.map((b) => [b.id, b.name]));
  const items = rows.map((r) => {
    const verdict = r.verdict as { eligible?: boolean; reason?: string; detail?: string };
    // Hours, caps and duplicates found broken at the moment of sale, before anything was sent (a
    // rule refusal: no cascadePosition), are the same refusal as at the start, only later.
    const refusedAtSale = verdict.eligible === true && r.cascadePosition === null && r.lostReason !== null && isSaleRule(r.lostReason);
    const eligible = verdict.eligible === true && !refusedAtSale;
    const won = r.isWinner === true;
    const outcome = won ? "WON" : !eligible ? "NOT_ELIGIBLE" : r.kind ? "LOST" : "NOT_ASKED";
    return {
      leadId: r.leadId,
      receivedAt: r.receivedAt,
      /** When the auction judged this buyer: pass the last one as `before` for the next page. */
      consideredAt: r.consideredAt,
      vertical: r.vertical,
      zip: r.zip,
      buyerId: r.buyerId!,
      buyer: names.get(r.buyerId!) ?? "",
      outcome,
      reason: won ? null : eligible || refusedAtSale ? r.lostReason : (verdict.reason ?? null),
      detail: eligible || refusedAtSale ? r.detail : (verdict.detail ?? null),
      pingOutcome: r.pingOutcome,
      bidCents: r.bidCents,
      latencyMs: r.latencyMs,
      cascadePosition: r.cascadePosition,
      paidCents: won ? r.priceCents : null,
      /** What the winner paid; null when the lead did not sell (or when this buyer won it). */
      winningBidCents: won ? null : (r.winningBidAmountCents ?? (r.leadStatus === "SOLD" ? r.soldForCents : null)),
      leadSold: r.leadStatus === "SOLD",
    };
  });
  return { buyers: mine, items };
}

/** A DJ's offers and what became of them; never which DJ got the booking instead. */
export async function djWhyNot(db: DbOrTx, v: Viewer, q: Omit<WhyNotQuery, "buyerId"> & { djId?: string | undefined }, now: Date) {
  const [dj] =
    v.role === "admin"
      ? q.djId
        ? await db.select({ id: djs.id, name: djs.name, city: djs.city }).from(djs).where(eq(djs.id, q.djId))
        : []
      : await db.select({ id: djs.id, name: djs.name, city: djs.city }).from(djs).where(eq(djs.orgId, v.orgId));
  if (!dj) throw new AppError("NOT_FOUND", v.role === "admin" ? "No such DJ." : "Your organisation has no DJ profile yet. Ask an admin to create one.");
  const to = q.before ?? now;
  const from = new Date(now.getTime() - q.days * DAY);
  const rows = await db
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
    .where(and(eq(leadAssignments.djId, dj.id), gte(leadAssignments.offeredAt, from), q.before ? lt(leadAssignments.offeredAt, to) : lte(leadAssignments.offeredAt, to)))
    .orderBy(desc(leadAssignments.offeredAt), desc(leadAssignments.id))
    .limit(q.limit);
  const items = rows.map((r) => {
    const booked = r.convertedDjId === dj.id;
    const bookedOther = r.convertedDjId !== null && !booked;
    const acceptedOther = r.acceptedDjId !== null && r.acceptedDjId !== dj.id;
    const outcome = booked
      ? "BOOKED"
      : r.status === "accepted"
        ? bookedOther
          ? "CUSTOMER_CHOSE_ANOTHER"
          : r.leadState === "closed"
            ? "LEAD_CLOSED"
            : "ACCEPTED"
        : r.status === "declined"
          ? "DECLINED"
          : r.status === "ignored"
            ? "WINDOW_PASSED"
            : r.status === "withdrawn"
              ? acceptedOther
                ? "ANOTHER_DJ_ACCEPTED_FIRST"
                : "WITHDRAWN"
              : "OPEN";
    return {
      leadId: r.leadId,
      city: r.city,
      eventType: r.eventType,
      eventDate: r.eventDate,
      phase: r.phase,
      offerStatus: r.status,
      outcome,
      offeredAt: r.offeredAt,
      windowEndsAt: r.windowEndsAt,
      respondedAt: r.respondedAt,
      responseTimeMs: r.responseTimeMs,
      quoteCents: r.quoteCents,
    };
  });
  // Leads of its city it was checked for but not offered: its own verdict only (the event holds
  // every DJ's; only this DJ's entry is taken out of it, in SQL).
  const notOffered = await db
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
        // Its city's leads of the period (market_leads_city_created_idx), then each lead's events.
        eq(marketLeads.city, dj.city),
        gte(marketLeads.createdAt, new Date(from.getTime() - DAY)),
        eq(marketLeadEvents.kind, "eligibility"),
        sql`${marketLeadEvents.data}->'verdicts' @> ${JSON.stringify([{ djId: dj.id }])}::jsonb`,
        gte(marketLeadEvents.at, from),
        q.before ? lt(marketLeadEvents.at, to) : lte(marketLeadEvents.at, to),
        sql`not exists (select 1 from ${leadAssignments} a where a.lead_id = ${marketLeads.id} and a.dj_id = ${dj.id})`,
      ),
    )
    .orderBy(desc(marketLeadEvents.at))
    .limit(q.limit);
  return {
    dj: { id: dj.id, name: dj.name },
    items,
    notOffered: notOffered.map((r) => {
      const v = typeof r.verdict === "string" ? (JSON.parse(r.verdict) as typeof r.verdict) : r.verdict;
      return {
        leadId: r.leadId,
        city: r.city,
        eventType: r.eventType,
        eventDate: r.eventDate,
        checkedAt: r.at,
        eligible: v?.eligible ?? false,
        /** Why it was not eligible (every failing rule), or empty when other DJs ranked higher. */
        reasons: (v?.failures ?? []).map((f) => ({ rule: f.rule, detail: f.detail })),
      };
    }),
  };
}
