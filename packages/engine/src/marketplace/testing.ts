/** Fixtures for this folder's tests; not exported from the package. */
import type { CityStats } from "./city-stats";
import type { DJEligibilityInput } from "./eligibility";
import type { MarketLeadInput } from "./form-completeness";
import type { RoutingScoreDj } from "./routing-score";

export const T0 = "2026-03-01T12:00:00Z";

export function makeCityStats(over: Partial<CityStats> = {}): CityStats {
  return {
    city: "Memphis",
    eventType: null,
    computedAt: new Date(T0),
    leadCount30d: 30,
    activeDjCount: 20,
    demandSupplyRatio: 1.5,
    marketTension: 0.75,
    tensionBand: "balanced",
    medianPrice30dCents: 200_000,
    medianPrice90dCents: 190_000,
    priceCount30d: 10,
    priceCount90d: 30,
    priceP25Cents90d: 120_000,
    priceP75Cents90d: 240_000,
    conversionRate90d: 0.3,
    ...over,
  };
}

export function makeLead(over: Partial<MarketLeadInput> = {}): MarketLeadInput {
  return {
    eventType: "wedding",
    eventDate: "2026-06-01",
    city: "Memphis",
    budgetMinCents: 180_000,
    budgetMaxCents: 220_000,
    contactName: "Ada",
    contactEmail: "ada@example.com",
    ...over,
  };
}

export function makeDj(over: Partial<DJEligibilityInput & RoutingScoreDj> = {}): DJEligibilityInput & RoutingScoreDj {
  return {
    id: "dj-a",
    tier: "standard",
    isActive: true,
    isSuspended: false,
    cooldownUntil: null,
    reliability: 80,
    priceMinCents: 150_000,
    priceMaxCents: 250_000,
    avgResponseTimeMs: null,
    conversionRate: null,
    penalty: 0,
    penaltyUpdatedAt: null,
    ...over,
  };
}
