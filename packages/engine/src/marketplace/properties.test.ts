import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { classifyCall } from "./calls";
import { medianCents, priceGuidance, computeCityStats } from "./city-stats";
import { DJ_TIERS, EVENT_TYPES, RESPONSE_ACTIONS, type RoutingPhase } from "./enums";
import { calculateLeadScore, LEAD_SCORE_MAX } from "./lead-score";
import { planNextPhase } from "./phases";
import { reputationTips } from "./reputation-tips";
import { NEW_DJ_METRICS, updateDJMetrics, type DJMetrics } from "./responses";
import { DEFAULT_ROUTING_CONFIG } from "./routing-config";
import { calculateDJRoutingScore, currentPenalty, MAX_PENALTY, rankDJs, ROUTING_SCORE_MAX } from "./routing-score";
import { makeCityStats, makeDj, makeLead, T0 } from "./testing";
import { MS_PER_DAY } from "./units";

const t0 = new Date(T0).getTime();
const cents = fc.integer({ min: 0, max: 5_000_000 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const cityStats = maybe(
  fc
    .record({
      medianPrice30dCents: maybe(cents),
      medianPrice90dCents: maybe(cents),
      priceCount30d: fc.nat(50),
      priceCount90d: fc.nat(50),
      marketTension: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
      demandSupplyRatio: maybe(fc.double({ min: 0, max: 10, noNaN: true })),
    })
    .map((o) => makeCityStats(o)),
);
const within = (x: number, min: number, max: number) => x >= min && x <= max;

describe("score ranges", () => {
  it("lead score components stay in their tables and add up", () => {
    const lead = fc.record({
      eventType: fc.constantFrom(...EVENT_TYPES),
      daysOut: fc.integer({ min: 0, max: 1000 }),
      range: fc.tuple(cents, cents).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      name: maybe(fc.string()),
      venue: maybe(fc.string()),
      guests: maybe(fc.integer({ min: -5, max: 500 })),
    });
    fc.assert(
      fc.property(lead, cityStats, (l, stats) => {
        const eventDate = new Date(t0 + l.daysOut * MS_PER_DAY).toISOString().slice(0, 10);
        const input = makeLead({
          eventType: l.eventType,
          eventDate,
          budgetMinCents: l.range[0] ?? null,
          budgetMaxCents: l.range[1] ?? null,
          contactName: l.name,
          venueName: l.venue,
          guestCount: l.guests,
        });
        const s = calculateLeadScore(input, stats, new ManualClock(T0));
        const c = s.components;
        expect(within(c.budget, 10, LEAD_SCORE_MAX.budget)).toBe(true);
        expect(within(c.urgency, 8, LEAD_SCORE_MAX.urgency)).toBe(true);
        expect(within(c.completeness, 0, LEAD_SCORE_MAX.completeness)).toBe(true);
        expect(within(c.demand, 0, LEAD_SCORE_MAX.demand)).toBe(true);
        expect(within(c.eventType, 5, LEAD_SCORE_MAX.eventType)).toBe(true);
        expect(within(s.total, 0, 100)).toBe(true);
        expect(s.total).toBeCloseTo(c.budget + c.urgency + c.completeness + c.demand + c.eventType, 9);
        for (const text of Object.values(s.explanations)) expect(text.length).toBeGreaterThan(0);
      }),
    );
  });

  it("routing score components stay in range, the penalty in 0-20", () => {
    const dj = fc.record({
      tier: fc.constantFrom(...DJ_TIERS),
      avgResponseTimeMs: maybe(fc.integer({ min: 0, max: 30 * MS_PER_DAY })),
      conversionRate: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
      range: fc.tuple(cents, cents).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      reliability: fc.integer({ min: 0, max: 100 }),
      penalty: fc.double({ min: 0, max: 40, noNaN: true }),
      setDaysAgo: fc.double({ min: -2, max: 60, noNaN: true }),
    });
    fc.assert(
      fc.property(dj, cityStats, (d, stats) => {
        const s = calculateDJRoutingScore(
          makeDj({
            ...d,
            priceMinCents: d.range[0]!,
            priceMaxCents: d.range[1]!,
            penaltyUpdatedAt: new Date(t0 - d.setDaysAgo * MS_PER_DAY),
          }),
          stats,
          new ManualClock(T0),
        );
        const c = s.components;
        expect(within(c.tier, 15, ROUTING_SCORE_MAX.tier)).toBe(true);
        expect(within(c.responseSpeed, 5, ROUTING_SCORE_MAX.responseSpeed)).toBe(true);
        expect(within(c.conversion, 5, ROUTING_SCORE_MAX.conversion)).toBe(true);
        expect(within(c.priceAlignment, 5, ROUTING_SCORE_MAX.priceAlignment)).toBe(true);
        expect(within(c.trust, 0, ROUTING_SCORE_MAX.trust)).toBe(true);
        expect(within(c.penalty, 0, MAX_PENALTY)).toBe(true);
        expect(within(s.total, 10, 95)).toBe(true);
      }),
    );
  });

  it("a penalty never grows as time passes", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.nat(100 * MS_PER_DAY),
        fc.nat(MS_PER_DAY),
        (p, a, b) => {
          const at = new Date(t0);
          expect(currentPenalty(p, at, new ManualClock(t0 + a + b))).toBeLessThanOrEqual(
            currentPenalty(p, at, new ManualClock(t0 + a)),
          );
        },
      ),
    );
  });

  it("ranking does not depend on input order", () => {
    const djs = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        tier: fc.constantFrom(...DJ_TIERS),
        reliability: fc.integer({ min: 0, max: 100 }),
      }),
      { selector: (d) => d.id, maxLength: 15 },
    );
    fc.assert(
      fc.property(djs, (list) => {
        const clock = new ManualClock(T0);
        const a = rankDJs(
          list.map((d) => makeDj(d)),
          null,
          clock,
        ).map((r) => r.djId);
        const b = rankDJs(
          [...list].reverse().map((d) => makeDj(d)),
          null,
          clock,
        ).map((r) => r.djId);
        expect(a).toEqual(b);
      }),
    );
  });
});

describe("metrics under any sequence of answers", () => {
  it("keep reliability in 0-100, penalty in 0-20 and rates consistent with counts", () => {
    const step = fc.record({
      action: fc.constantFrom(...RESPONSE_ACTIONS),
      ms: fc.nat(3 * MS_PER_DAY),
      gap: fc.nat(3 * MS_PER_DAY),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.array(step, { maxLength: 60 }), (start, steps) => {
        const clock = new ManualClock(T0);
        let m: DJMetrics = { ...NEW_DJ_METRICS, reliability: start };
        for (const s of steps) {
          clock.advance(s.gap);
          m = updateDJMetrics(m, s.action, s.action === "ignored" ? null : s.ms, clock);
          expect(within(m.reliability, 0, 100)).toBe(true);
          expect(within(m.penalty, 0, MAX_PENALTY)).toBe(true);
          const total = m.acceptedCount + m.declinedCount + m.ignoredCount;
          expect((m.acceptanceRate ?? 0) + (m.declineRate ?? 0) + (m.ignoreRate ?? 0)).toBeCloseTo(total ? 1 : 0, 9);
          for (const tip of reputationTips(m)) expect(tip.text).not.toMatch(/\d|%|penalt|score|point|formula|minute/i);
        }
        expect(m.acceptedCount + m.declinedCount + m.ignoredCount).toBe(steps.length);
      }),
    );
  });
});

describe("phase planner over a whole routing", () => {
  it("never offers a DJ twice, keeps each phase within its size and ends in concierge", () => {
    const pool = fc.array(fc.constantFrom(...Array.from({ length: 25 }, (_, i) => `dj-${i}`)), { maxLength: 40 });
    fc.assert(
      fc.property(fc.array(pool, { minLength: 4, maxLength: 4 }), (rankings) => {
        const clock = new ManualClock(T0);
        const offered: string[] = [];
        let phase: RoutingPhase | null = null;
        for (const ranked of rankings) {
          const plan = planNextPhase({ phase }, ranked, offered, DEFAULT_ROUTING_CONFIG, clock);
          if (plan.phase === "concierge") return;
          expect(plan.offerTo.length).toBeGreaterThan(0);
          expect(plan.offerTo.length).toBeLessThanOrEqual(
            plan.phase === "exclusive" ? 1 : plan.phase === "tier_expansion" ? 3 : 10,
          );
          for (const id of plan.offerTo) expect(offered).not.toContain(id);
          expect(new Set(plan.offerTo).size).toBe(plan.offerTo.length);
          offered.push(...plan.offerTo);
          phase = plan.phase;
        }
        throw new Error("a routing took more than three timed phases");
      }),
    );
  });
});

describe("stats and calls", () => {
  it("the median lies within the data and the guidance range is ordered", () => {
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 40 }), (values) => {
        const m = medianCents(values)!;
        expect(Number.isInteger(m) && m >= Math.min(...values) && m <= Math.max(...values)).toBe(true);
        const stats = computeCityStats(
          {
            city: "X",
            leads: [],
            djs: [],
            prices: values.map((priceCents) => ({ priceCents, observedAt: new Date(t0) })),
          },
          new ManualClock(T0),
        );
        const g = priceGuidance(stats);
        if (values.length < 5) expect(g).toBeNull();
        else
          expect(
            g!.lowCents <= g!.basis.p25Cents &&
              g!.basis.p25Cents <= g!.basis.p75Cents &&
              g!.basis.p75Cents <= g!.highCents,
          ).toBe(true);
      }),
    );
  });

  it("a call is billable exactly from 60 s", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 7200, noNaN: true }), (sec) => {
        expect(classifyCall(sec) === "billable").toBe(sec >= 60);
      }),
    );
  });
});
