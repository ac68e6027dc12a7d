import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import {
  computeCityStats,
  medianCents,
  percentileCents,
  priceGuidance,
  referenceMedianCents,
  tensionBand,
} from "./city-stats";
import { makeCityStats, T0 } from "./testing";
import { MS_PER_DAY } from "./units";

const clock = new ManualClock(T0);
const now = new Date(T0).getTime();
const daysAgo = (d: number) => new Date(now - d * MS_PER_DAY);

describe("medianCents", () => {
  it("takes the middle value, or the two middles' mean with halves rounded up", () => {
    expect(medianCents([])).toBeNull();
    expect(medianCents([300, 100, 200])).toBe(200);
    expect(medianCents([100, 200])).toBe(150);
    expect(medianCents([100, 201])).toBe(151);
    expect(medianCents([400, 100, 300, 200])).toBe(250);
  });
});

describe("percentileCents (nearest rank)", () => {
  it("returns observed values", () => {
    const v = [500, 100, 400, 200, 300];
    expect(percentileCents(v, 25)).toBe(200);
    expect(percentileCents(v, 75)).toBe(400);
    expect(percentileCents(v, 0)).toBe(100);
    expect(percentileCents(v, 100)).toBe(500);
    expect(percentileCents([], 50)).toBeNull();
  });
});

describe("computeCityStats", () => {
  const input = {
    city: "Memphis",
    leads: [
      { createdAt: daysAgo(1), converted: true },
      { createdAt: daysAgo(30), converted: false },
      { createdAt: daysAgo(30.0001), converted: true },
      { createdAt: daysAgo(90), converted: false },
      { createdAt: daysAgo(91), converted: true },
      { createdAt: daysAgo(-1), converted: true },
    ],
    djs: [
      { isActive: true, isSuspended: false },
      { isActive: false, isSuspended: false },
      { isActive: true, isSuspended: true },
    ],
    prices: [
      { priceCents: 100_000, observedAt: daysAgo(2) },
      { priceCents: 300_000, observedAt: daysAgo(29) },
      { priceCents: 200_000, observedAt: daysAgo(60) },
      { priceCents: 900_000, observedAt: daysAgo(95) },
    ],
  };

  it("counts [now - N days, now] windows and only active, unsuspended supply", () => {
    const s = computeCityStats(input, clock);
    expect(s).toMatchObject({
      leadCount30d: 2,
      activeDjCount: 1,
      demandSupplyRatio: 2,
      marketTension: 1,
      tensionBand: "balanced",
      medianPrice30dCents: 200_000,
      medianPrice90dCents: 200_000,
      priceCount30d: 2,
      priceCount90d: 3,
      conversionRate90d: 0.5,
      eventType: null,
      computedAt: new Date(now),
    });
  });

  it("reads tension as leads per DJ over 2, and a city with demand but no DJs as fully tight", () => {
    const twoDjs = computeCityStats(
      { ...input, djs: [input.djs[0]!, input.djs[0]!, input.djs[0]!, input.djs[0]!] },
      clock,
    );
    expect(twoDjs).toMatchObject({ demandSupplyRatio: 0.5, marketTension: 0.25, tensionBand: "oversupplied" });
    expect(computeCityStats({ ...input, djs: [] }, clock)).toMatchObject({
      demandSupplyRatio: null,
      marketTension: 1,
      tensionBand: "tight",
    });
    expect(computeCityStats({ ...input, djs: [], leads: [] }, clock)).toMatchObject({
      marketTension: null,
      tensionBand: null,
      conversionRate90d: null,
    });
  });

  it("bands tension at 1 and 2 leads per DJ", () => {
    expect([0.99, 1, 2, 2.01].map(tensionBand)).toEqual(["oversupplied", "balanced", "balanced", "tight"]);
  });

  it("refuses prices that are not whole cents", () => {
    expect(() => computeCityStats({ ...input, prices: [{ priceCents: 99.5, observedAt: daysAgo(1) }] }, clock)).toThrow(
      /cents/,
    );
  });
});

describe("referenceMedianCents", () => {
  it("prefers 30 days with five prices, then 90 days, then nothing", () => {
    expect(referenceMedianCents(makeCityStats({ priceCount30d: 5 }))).toBe(200_000);
    expect(referenceMedianCents(makeCityStats({ priceCount30d: 4 }))).toBe(190_000);
    expect(referenceMedianCents(makeCityStats({ priceCount30d: 4, priceCount90d: 4 }))).toBeNull();
  });
});

describe("priceGuidance", () => {
  it("states the inter-quartile range rounded outward to $50", () => {
    const g = priceGuidance(makeCityStats({ priceP25Cents90d: 123_456, priceP75Cents90d: 241_001 }));
    expect(g).toEqual({
      lowCents: 120_000,
      highCents: 245_000,
      sentence: "Most DJs in Memphis charge between $1,200 and $2,450.",
      basis: { p25Cents: 123_456, p75Cents: 241_001, sampleSize: 30 },
    });
  });
  it("says 'around' when the quartiles meet, and nothing under five prices", () => {
    expect(priceGuidance(makeCityStats({ priceP25Cents90d: 150_000, priceP75Cents90d: 150_000 }))?.sentence).toBe(
      "Most DJs in Memphis charge around $1,500.",
    );
    expect(priceGuidance(makeCityStats({ priceCount90d: 4 }))).toBeNull();
    expect(priceGuidance(makeCityStats({ priceCount90d: 5 }))).not.toBeNull();
  });
  it("works end to end from observed prices", () => {
    const prices = [80_000, 100_000, 120_000, 150_000, 400_000].map((priceCents) => ({
      priceCents,
      observedAt: daysAgo(3),
    }));
    const stats = computeCityStats({ city: "Memphis", leads: [], djs: [], prices }, clock);
    expect(priceGuidance(stats)?.sentence).toBe("Most DJs in Memphis charge between $1,000 and $1,500.");
  });
});
