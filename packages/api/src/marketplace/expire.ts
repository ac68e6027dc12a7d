// Offers whose window passed unanswered become `ignored`: it costs the DJ reliability and
// penalty (updateDJMetrics), and frees the date the offer held.
import { lockDjRow, markOffersIgnored, updateDj, type Tx } from "@leadflow/db";
import { updateDJMetrics } from "@leadflow/engine";
import { djMetricsOf, metricsColumns, recordLeadEvent, type MarketServices } from "./common";
import { releaseDJAvailability } from "./eligibility";
import { updateDJRoutingScore } from "./routing-score";

export async function expireOpenOffers(
  tx: Tx,
  s: MarketServices,
  lead: { id: string; eventDate: string },
): Promise<string[]> {
  const now = s.clock.now();
  const expired = await markOffersIgnored(tx, lead.id, now);
  // DJ rows in id order, so two leads expiring offers to the same DJs cannot wait on each other.
  const ids = expired.map((e) => e.djId).sort();
  for (const djId of ids) {
    const dj = await lockDjRow(tx, djId);
    if (!dj) continue;
    const metrics = updateDJMetrics(djMetricsOf(dj), "ignored", null, s.clock);
    const updated = await updateDj(tx, djId, metricsColumns(metrics));
    await updateDJRoutingScore(tx, s.clock, updated!);
    await releaseDJAvailability(tx, djId, lead.eventDate, lead.id);
    await recordLeadEvent(tx, now, lead.id, "offer_ignored", `${dj.name} did not answer in time.`, { djId });
  }
  return ids;
}
