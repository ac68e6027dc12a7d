// Offers whose window passed unanswered become `ignored`: it costs the DJ reliability and
// penalty (updateDJMetrics), and frees the date the offer held. Set-based over a batch of leads
// (the phase timer sweeper's): one statement each to mark the offers, lock the DJs, update their
// metrics and routing scores, free the dates and write the timeline; the engine decides each
// DJ's new metrics and score in between.
import {
  getCityStatsRows,
  insertMarketLeadEvents,
  lockDjRows,
  markOffersIgnoredForLeads,
  releaseDJAvailabilities,
  updateDjsMetrics,
  type DjMetricsUpdate,
  type Tx,
} from "@leadflow/db";
import { calculateDJRoutingScore, updateDJMetrics, type CityStats } from "@leadflow/engine";
import { cityStatsOf, djMetricsOf, metricsColumns, routingDjOf, type DjRow, type MarketServices } from "./common";

export async function expireOpenOffers(
  tx: Tx,
  s: MarketServices,
  lead: { id: string; eventDate: string },
): Promise<string[]> {
  return (await expireOpenOffersForLeads(tx, s, [lead])).get(lead.id) ?? [];
}

/**
 * Expires the ended offers of these leads (whose rows and city/date locks the caller holds).
 * A DJ ignored by several leads of the batch loses for each, in the batch's order, as if the
 * leads had been handled one after another. Returns each lead's ignored DJs (id order).
 */
export async function expireOpenOffersForLeads(
  tx: Tx,
  s: MarketServices,
  leads: readonly { id: string; eventDate: string }[],
): Promise<Map<string, string[]>> {
  const now = s.clock.now();
  const byLead = new Map<string, string[]>(leads.map((l) => [l.id, []]));
  const expired = await markOffersIgnoredForLeads(
    tx,
    leads.map((l) => l.id),
    now,
  );
  if (expired.length === 0) return byLead;
  for (const e of expired) byLead.get(e.leadId)?.push(e.djId);
  for (const ids of byLead.values()) ids.sort();
  // DJ rows in id order, so two batches expiring offers to the same DJs cannot wait on each other.
  const rows = await lockDjRows(tx, [...new Set(expired.map((e) => e.djId))]);
  const current = new Map<string, DjRow>(rows.map((d) => [d.id, d]));
  const stats = new Map<string, CityStats>(
    (await getCityStatsRows(tx, [...new Set(rows.map((d) => d.city))], "")).map((r) => [r.city, cityStatsOf(r)]),
  );
  const events: Parameters<typeof insertMarketLeadEvents>[1][number][] = [];
  const releases: { djId: string; eventDate: string; leadId: string }[] = [];
  const changed = new Set<string>();
  for (const lead of leads) {
    for (const djId of byLead.get(lead.id)!) {
      const dj = current.get(djId);
      if (!dj) continue;
      // As stored (rounded), so a second ignore in the batch starts where a separate step would.
      const metrics = updateDJMetrics(djMetricsOf(dj), "ignored", null, s.clock);
      current.set(djId, { ...dj, ...metricsColumns(metrics) });
      changed.add(djId);
      releases.push({ djId, eventDate: lead.eventDate, leadId: lead.id });
      events.push({
        leadId: lead.id,
        at: now,
        kind: "offer_ignored",
        message: `${dj.name} did not answer in time.`,
        data: { djId },
      });
    }
  }
  const updates: DjMetricsUpdate[] = [...changed].map((id) => {
    const dj = current.get(id)!;
    const score = calculateDJRoutingScore(routingDjOf(dj), stats.get(dj.city) ?? null, s.clock);
    return {
      id,
      ...metricsColumns(djMetricsOf(dj)),
      routingScore: score.total,
      routingComponents: { ...score.components },
      routingComputedAt: now,
    };
  });
  await updateDjsMetrics(tx, updates);
  await releaseDJAvailabilities(tx, releases);
  await insertMarketLeadEvents(tx, events);
  return byLead;
}
