// Stored DJ routing scores: the engine computes, we keep the total and its components.
import { listDjsByCity, updateDjRoutingScoreColumns, type DbOrTx } from "@leadflow/db";
import { calculateDJRoutingScore, type CityStats, type Clock, type DJRoutingScore } from "@leadflow/engine";
import { loadCityStats, routingDjOf, type DjRow } from "./common";

/** Recomputes one DJ's score from its row and its city's statistics, and stores it. */
export async function updateDJRoutingScore(
  db: DbOrTx,
  clock: Clock,
  dj: DjRow,
  stats?: CityStats | null,
): Promise<DJRoutingScore> {
  const cityStats = stats === undefined ? await loadCityStats(db, dj.city) : stats;
  const score = calculateDJRoutingScore(routingDjOf(dj), cityStats, clock);
  await updateDjRoutingScoreColumns(db, dj.id, {
    total: score.total,
    components: { ...score.components },
    at: clock.now(),
  });
  return score;
}

/** The daily job: every DJ, with each city's statistics read once. */
export async function recalculateAllRoutingScores(db: DbOrTx, clock: Clock): Promise<number> {
  const all = await listDjsByCity(db);
  const statsByCity = new Map<string, CityStats | null>();
  for (const dj of all) {
    if (!statsByCity.has(dj.city)) statsByCity.set(dj.city, await loadCityStats(db, dj.city));
    await updateDJRoutingScore(db, clock, dj, statsByCity.get(dj.city) ?? null);
  }
  return all.length;
}
