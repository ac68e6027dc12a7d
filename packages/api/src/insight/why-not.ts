// "Why didn't I get this lead?": for each lead a buyer (or a DJ) was considered for, its own
// verdict, outcome and lost reason, and for auctions what the winner paid. Only the caller's own
// rows are read; a competitor appears only as an amount, never by id or name.
import {
  getInsightDj,
  listBuyerVerdicts,
  listDjNotOffered,
  listDjOfferOutcomes,
  listInsightBuyers,
  type DbOrTx,
} from "@leadflow/db";
import { SALE_RULE_REASONS } from "@leadflow/engine";
import { AppError } from "../errors";

/** What became of a lead for one buyer, as the why-not page says it. */
export type BuyerOutcome = "WON" | "LOST" | "NOT_ELIGIBLE" | "NOT_ASKED";
/** What became of an offer for the DJ, in the DJ's words on its why-not page. */
export type DjOutcome =
  | "BOOKED"
  | "ACCEPTED"
  | "CUSTOMER_CHOSE_ANOTHER"
  | "LEAD_CLOSED"
  | "DECLINED"
  | "WINDOW_PASSED"
  | "ANOTHER_DJ_ACCEPTED_FIRST"
  | "WITHDRAWN"
  | "OPEN";

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
    if (!buyerId)
      throw new AppError("BAD_REQUEST", "Choose a buyer to see its view.", { buyerId: ["Choose a buyer."] });
    return listInsightBuyers(db, { buyerId });
  }
  const rows = await listInsightBuyers(db, { orgId: v.orgId, buyerId });
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
  // By the verdict's time (when the auction considered the buyer): lead_events_buyer_eligibility_idx.
  const rows = await listBuyerVerdicts(db, ids, { from, to, before: q.before, limit: q.limit });
  const names = new Map(mine.map((b) => [b.id, b.name]));
  const items = rows.map((r) => {
    const verdict = r.verdict as { eligible?: boolean; reason?: string; detail?: string };
    // Hours, caps and duplicates found broken at the moment of sale, before anything was sent (a
    // rule refusal: no cascadePosition), are the same refusal as at the start, only later.
    const refusedAtSale =
      verdict.eligible === true && r.cascadePosition === null && r.lostReason !== null && isSaleRule(r.lostReason);
    const eligible = verdict.eligible === true && !refusedAtSale;
    const won = r.isWinner === true;
    const outcome: BuyerOutcome = won ? "WON" : !eligible ? "NOT_ELIGIBLE" : r.kind ? "LOST" : "NOT_ASKED";
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
export async function djWhyNot(
  db: DbOrTx,
  v: Viewer,
  q: Omit<WhyNotQuery, "buyerId"> & { djId?: string | undefined },
  now: Date,
) {
  const dj =
    v.role === "admin"
      ? q.djId
        ? await getInsightDj(db, { djId: q.djId })
        : undefined
      : await getInsightDj(db, { orgId: v.orgId });
  if (!dj)
    throw new AppError(
      "NOT_FOUND",
      v.role === "admin" ? "No such DJ." : "Your organisation has no DJ profile yet. Ask an admin to create one.",
    );
  const to = q.before ?? now;
  const from = new Date(now.getTime() - q.days * DAY);
  const rows = await listDjOfferOutcomes(db, dj.id, { from, to, before: q.before, limit: q.limit });
  const items = rows.map((r) => {
    const booked = r.convertedDjId === dj.id;
    const bookedOther = r.convertedDjId !== null && !booked;
    const acceptedOther = r.acceptedDjId !== null && r.acceptedDjId !== dj.id;
    const outcome: DjOutcome = booked
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
  const notOffered = await listDjNotOffered(db, dj, {
    from,
    to,
    before: q.before,
    limit: q.limit,
    leadsSince: new Date(from.getTime() - DAY),
  });
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
