// The admin's side: concierge queue and manual assignment, DJ management, marketplace metrics.
import {
  getDjById,
  getMarketLeadCounts,
  listCityOverviews,
  listConciergeLeads,
  sumFunnelCounters,
  updateDjStatus,
  updateMarketLead,
  upsertConciergeOffer,
} from "@leadflow/db";
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

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** The seed's success metrics over the last 30 days, from real rows, beside their targets. */
export async function marketplaceMetrics(s: MarketServices) {
  const since = new Date(s.clock.now().getTime() - 30 * 86_400_000);
  const sinceIso = since.toISOString();
  const leads = await getMarketLeadCounts(s.db, since);
  const funnel = await sumFunnelCounters(s.db, sinceIso.slice(0, 10));
  const f = (m: string) => funnel.find((r) => r.metric === m)?.n ?? 0;
  const cities = await listCityOverviews(s.db);
  const l = leads;
  const totalLeads = cities.reduce((a, c) => a + c.leads30d, 0);
  const totalDjs = cities.reduce((a, c) => a + c.djCount, 0);
  return {
    windowDays: 30,
    acceptanceRate: { value: ratio(l.accepted, l.routed), target: "> 60%" },
    firstResponseMs: { value: l.avgFirstResponseMs, target: "< 4 h" },
    conversionRate: { value: ratio(l.converted, l.total), target: "> 25%" },
    supplyDemand: { value: ratio(totalLeads, totalDjs), target: "1.0-2.0" },
    calculatorToInquiry: {
      value: ratio(f("inquiry_from_calculator"), f("calculator_view")),
      target: "> 15%",
      views: f("calculator_view"),
      inquiries: f("inquiry"),
    },
    callAttribution: await callAttributionRate(s.db, since),
    counts: l,
    cities,
  };
}
