import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { calculateFormCompleteness, missingFormFields } from "./form-completeness";
import { budgetPoints, calculateLeadScore, demandPoints, EVENT_TYPE_POINTS, urgencyPoints } from "./lead-score";
import { MarketplaceError } from "./errors";
import { makeCityStats, makeLead, T0 } from "./testing";

const clock = new ManualClock(T0); // 2026-03-01
const median = 200_000;

describe("urgency table", () => {
  it.each([
    [0, 25],
    [29, 25],
    [30, 20],
    [31, 20],
    [59, 20],
    [60, 15],
    [89, 15],
    [90, 12],
    [179, 12],
    [180, 12],
    [181, 8],
    [900, 8],
  ])("%i days -> %i points", (days, points) => expect(urgencyPoints(days)).toBe(points));

  it("refuses an event in the past with a domain error", () => {
    expect(() => urgencyPoints(-1)).toThrow(MarketplaceError);
    expect(() => calculateLeadScore(makeLead({ eventDate: "2026-02-28" }), null, clock)).toThrow(
      expect.objectContaining({ code: "EVENT_IN_PAST", field: "eventDate" }),
    );
  });

  it("counts calendar days from the clock's UTC date", () => {
    const late = new ManualClock("2026-03-01T23:59:59Z");
    expect(calculateLeadScore(makeLead({ eventDate: "2026-03-31" }), null, late).components.urgency).toBe(20);
    expect(calculateLeadScore(makeLead({ eventDate: "2026-03-30" }), null, late).components.urgency).toBe(25);
    expect(calculateLeadScore(makeLead({ eventDate: "2026-03-01" }), null, late).explanations.urgency).toBe(
      "The event is today.",
    );
  });
});

describe("budget table (midpoint vs city median)", () => {
  const at = (mid: number) => budgetPoints(makeLead({ budgetMinCents: mid, budgetMaxCents: mid }), median).points;
  it.each([
    [240_000, 30],
    [239_999, 25],
    [200_000, 25],
    [199_999, 20],
    [160_000, 20],
    [159_999, 15],
    [120_000, 15],
    [119_999, 10],
    [0, 10],
    [1_000_000, 30],
  ])("midpoint %i cents -> %i", (mid, points) => expect(at(mid)).toBe(points));

  it("uses the midpoint of the range, in whole cents", () => {
    // (200_000 + 280_001) / 2 = 240_000.5 >= 120% of 200_000
    expect(budgetPoints(makeLead({ budgetMinCents: 200_000, budgetMaxCents: 280_001 }), median).points).toBe(30);
    expect(budgetPoints(makeLead({ budgetMinCents: 199_999, budgetMaxCents: 280_000 }), median).points).toBe(25);
  });

  it("takes a single bound as the midpoint, floors a missing budget, and is neutral without a median", () => {
    expect(budgetPoints(makeLead({ budgetMinCents: null, budgetMaxCents: 240_000 }), median).points).toBe(30);
    expect(budgetPoints(makeLead({ budgetMinCents: null, budgetMaxCents: null }), median).points).toBe(10);
    expect(budgetPoints(makeLead(), null)).toEqual({
      points: 20,
      why: "Budget around $2,000; no price history for this city yet.",
    });
  });

  it("explains against the median", () => {
    expect(budgetPoints(makeLead({ budgetMinCents: 220_000, budgetMaxCents: 260_000 }), median).why).toBe(
      "Budget around $2,400 is 20% above the city median of $2,000.",
    );
  });

  it("refuses fractional cents and inverted ranges", () => {
    expect(() => calculateLeadScore(makeLead({ budgetMinCents: 10.5 }), null, clock)).toThrow(/cents/);
    expect(() => calculateLeadScore(makeLead({ budgetMinCents: 300_000 }), null, clock)).toThrow(/minimum is above/);
  });
});

describe("form completeness", () => {
  it("weighs required fields twice as much as optional ones", () => {
    const required = makeLead();
    expect(calculateFormCompleteness(required)).toBeCloseTo(12 / 18);
    const noName = makeLead({ contactName: null });
    const withVenue = makeLead({ contactName: null, venueName: "The Peabody" });
    expect(calculateFormCompleteness(noName)).toBeCloseTo(10 / 18);
    expect(calculateFormCompleteness(withVenue)).toBeCloseTo(11 / 18);
    expect(missingFormFields(noName)).toContain("name");
  });

  it("is 1 with everything filled and blank strings count as missing", () => {
    const full = makeLead({
      contactPhone: "+19015550100",
      guestCount: 120,
      venueName: "Hall",
      startTime: "18:00",
      durationHours: 5,
      musicPreferences: "Motown",
      notes: "First dance at 8",
    });
    expect(calculateFormCompleteness(full)).toBe(1);
    expect(calculateFormCompleteness({ ...full, notes: "   " })).toBeCloseTo(17 / 18);
  });
});

describe("demand and event type", () => {
  it.each([
    [null, 10],
    [0, 0],
    [0.5, 10],
    [0.75, 15],
    [1, 20],
    [1.7, 20],
  ])("tension %s -> %s", (t, p) => expect(demandPoints(t)).toBe(p));
  it("ranks weddings over corporate over private parties over the rest", () => {
    expect(EVENT_TYPE_POINTS).toMatchObject({ wedding: 10, corporate: 8, private_party: 7, other: 5 });
    for (const p of Object.values(EVENT_TYPE_POINTS)) expect(p).toBeGreaterThanOrEqual(5);
  });
});

describe("calculateLeadScore", () => {
  it("sums the components and explains each", () => {
    const score = calculateLeadScore(makeLead(), makeCityStats(), clock);
    expect(score.components).toEqual({ budget: 25, urgency: 12, completeness: 10, demand: 15, eventType: 10 });
    expect(score.total).toBe(72);
    expect(score.explanations.urgency).toBe("The event is 92 days away.");
    expect(score.explanations.demand).toBe("Market balanced: 1.5 leads per available DJ in 30 days.");
    expect(score.explanations.eventType).toBe("Wedding events score 10 of 10.");
    expect(score.explanations.completeness).toMatch(/^Form 67% complete; missing guest count, venue/);
  });

  it("falls back to the 90-day median when the 30-day window is thin", () => {
    const thin = makeCityStats({ priceCount30d: 4, medianPrice30dCents: 400_000, medianPrice90dCents: 150_000 });
    expect(calculateLeadScore(makeLead(), thin, clock).components.budget).toBe(30);
  });

  it("is neutral in a city with no statistics", () => {
    const score = calculateLeadScore(makeLead(), null, clock);
    expect(score.components.budget).toBe(20);
    expect(score.components.demand).toBe(10);
  });

  it("refuses an unknown event type or an impossible date", () => {
    expect(() => calculateLeadScore(makeLead({ eventType: "rave" as never }), null, clock)).toThrow(/event types/);
    expect(() => calculateLeadScore(makeLead({ eventDate: "2026-02-30" }), null, clock)).toThrow(/real date/);
  });
});
