// The admin's side: concierge queue and manual assignment, DJ management, marketplace metrics.
import {
  getDjById,
  listCityOverviews,
  listConciergeLeads,
  updateDjStatus,
  updateMarketLead,
  upsertConciergeOffer,
} from "@leadflow/db";
import { marketplaceFigures, MARKET_TARGETS } from "../analytics/marketplace";
import { DEFAULT_DAYS } from "../analytics/filters";
import { addDays, dayOf } from "../analytics/rollup";
import { callAttributionRate } from "../calls/stats";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "./common";
import { lockCityDate } from "./eligibility";
import { holdDJDate } from "./holds";
import { lockLead } from "./routing";

export async function conciergeQueue(s: MarketServices) {
  return listConciergeLeads(s.db);
}

/** An admin hands a concierge lead to a DJ by hand: recorded as an accepted offer in the concierge phase. */
export async function assignFromConcierge(s: MarketServices, input: { leadId: string; djId: string }) {
  await s.db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    if (lead.leadState !== "concierge")
      throw new AppError(
        "CONFLICT",
        `Only a lead with the concierge team can be assigned by hand; this one is ${lead.leadState}.`,
      );
    const dj = await getDjById(tx, input.djId);
    if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
    const now = s.clock.now();
    await lockCityDate(tx, lead.city, lead.eventDate); // takes the DJ's date
    if (!(await holdDJDate(tx, { djId: dj.id, eventDate: lead.eventDate, leadId: lead.id, now })))
      throw new AppError(
        "CONFLICT",
        `${dj.name} is not free on ${lead.eventDate}: booked, unavailable, or holding the date for another lead.`,
      );
    await upsertConciergeOffer(tx, { leadId: lead.id, djId: dj.id, phaseSeq: lead.phaseSeq, now });
    await updateMarketLead(tx, lead.id, {
      leadState: "accepted",
      acceptedAt: now,
      acceptedDjId: dj.id,
      firstResponseAt: lead.firstResponseAt ?? now,
    });
    await recordLeadEvent(tx, now, lead.id, "concierge_assigned", `The concierge team assigned ${dj.name}.`, {
      djId: dj.id,
    });
  });
}

export async function setDjStatus(
  s: MarketServices,
  input: { djId: string; isActive?: boolean; isSuspended?: boolean },
) {
  const row = await updateDjStatus(s.db, input.djId, input);
  if (!row) throw new AppError("NOT_FOUND", "That DJ does not exist.");
}

/**
 * The seed's success metrics over the last 30 UTC days (today included), beside their targets.
 * Computed by marketplaceFigures from live rows, the same function and the same period as the
 * analytics page's default range, so the two pages agree (issue 17, item 5); no daily snapshot is
 * read for them. The city table adds the price statistics (kept current as leads arrive).
 */
export async function marketplaceMetrics(s: MarketServices) {
  const to = dayOf(s.clock.now());
  const range = { from: addDays(to, -(DEFAULT_DAYS - 1)), to, toExclusive: addDays(to, 1), days: DEFAULT_DAYS };
  const fig = await marketplaceFigures(s.db, range);
  const stats = new Map((await listCityOverviews(s.db)).map((c) => [c.city, c]));
  const v = fig.values;
  return {
    windowDays: DEFAULT_DAYS,
    from: range.from,
    to: range.to,
    acceptanceRate: { value: v.acceptanceRate, target: MARKET_TARGETS.acceptanceRate.label },
    firstResponseMs: { value: v.firstResponseMs, target: MARKET_TARGETS.firstResponseMs.label },
    conversionRate: { value: v.conversionRate, target: MARKET_TARGETS.conversionRate.label },
    supplyDemand: { value: v.leadsPerDj30d, target: MARKET_TARGETS.leadsPerDj30d.label },
    calculatorToInquiry: {
      value: v.calculatorToInquiry,
      target: MARKET_TARGETS.calculatorToInquiry.label,
      views: fig.funnelCounts.calculatorViews,
      inquiries: fig.funnelCounts.inquiries,
      fromCalculator: fig.funnelCounts.inquiriesFromCalculator,
    },
    callAttribution: await callAttributionRate(s.db, new Date(`${range.from}T00:00:00Z`)),
    counts: {
      total: fig.counts.inquiries,
      routed: fig.counts.routed,
      accepted: fig.counts.accepted,
      converted: fig.counts.converted,
      avgFirstResponseMs: fig.counts.avgFirstResponseMs,
    },
    cities: fig.byCity.map((c) => {
      const st = stats.get(c.city);
      return {
        city: c.city,
        leads30d: c.leads,
        djCount: c.djs,
        ratio: c.leadsPerDj30d,
        band: st?.band ?? null,
        median: st?.median ?? null,
        p25: st?.p25 ?? null,
        p75: st?.p75 ?? null,
      };
    }),
  };
}
