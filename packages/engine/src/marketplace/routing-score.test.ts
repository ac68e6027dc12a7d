import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import {
  calculateDJRoutingScore,
  conversionPoints,
  currentPenalty,
  priceAlignmentPoints,
  rankDJs,
  responseSpeedPoints,
  trustPoints,
} from "./routing-score";
import { makeCityStats, makeDj, T0 } from "./testing";
import { MS_PER_DAY, MS_PER_HOUR } from "./units";

const H = MS_PER_HOUR;

describe("response speed table", () => {
  it.each([
    [0, 20],
    [H - 1, 20],
    [H, 18],
    [4 * H - 1, 18],
    [4 * H, 15],
    [12 * H - 1, 15],
    [12 * H, 12],
    [24 * H - 1, 12],
    [24 * H, 8],
    [48 * H, 8],
    [48 * H + 1, 5],
    [null, 12],
  ])("%s ms -> %i", (ms, points) => expect(responseSpeedPoints(ms)).toBe(points));
});

describe("conversion table", () => {
  it.each([
    [0, 5],
    [0.0999, 5],
    [0.1, 8],
    [0.1999, 8],
    [0.2, 12],
    [0.3, 15],
    [0.3999, 15],
    [0.4, 18],
    [0.5, 18],
    [0.5001, 20],
    [1, 20],
    [null, 12],
  ])("%s -> %i", (rate, points) => expect(conversionPoints(rate)).toBe(points));
  it("matches rates computed from counts exactly at the edges", () => {
    expect(conversionPoints(999 / 10_000)).toBe(5);
    expect(conversionPoints(1 / 10)).toBe(8);
    expect(conversionPoints(5 / 10)).toBe(18);
    expect(conversionPoints(5001 / 10_000)).toBe(20);
  });
});

describe("price alignment table (DJ midpoint vs median $2,000)", () => {
  const at = (mid: number) => priceAlignmentPoints(mid, mid, 200_000);
  it.each([
    [200_000, 15],
    [220_000, 15],
    [180_000, 15],
    [220_001, 12],
    [240_000, 12],
    [179_999, 12],
    [240_001, 10],
    [260_000, 10],
    [140_000, 10],
    [260_001, 7],
    [300_000, 7],
    [100_000, 7],
    [300_001, 5],
    [99_999, 5],
    [1_000_000, 5],
  ])("%i -> %i", (mid, points) => expect(at(mid)).toBe(points));
  it("uses the range midpoint and is neutral without a median", () => {
    expect(priceAlignmentPoints(100_000, 340_000, 200_000)).toBe(15); // midpoint $2,200: exactly 10% off
    expect(priceAlignmentPoints(100_000, 340_002, 200_000)).toBe(12);
    expect(priceAlignmentPoints(100_000, 300_000, null)).toBe(10);
  });
});

describe("trust", () => {
  it.each([
    [0, 0],
    [50, 7.5],
    [73, 11],
    [100, 15],
    [140, 15],
    [-5, 0],
  ])("%i -> %s", (r, p) => expect(trustPoints(r)).toBe(p));
});

describe("currentPenalty decays from when it was set", () => {
  const setAt = new Date(T0);
  it("loses 10% a day, compounding, including fractions of a day", () => {
    const clock = new ManualClock(T0);
    expect(currentPenalty(10, setAt, clock)).toBe(10);
    clock.advance(MS_PER_DAY);
    expect(currentPenalty(10, setAt, clock)).toBeCloseTo(9, 10);
    clock.advance(MS_PER_DAY);
    expect(currentPenalty(10, setAt, clock)).toBeCloseTo(8.1, 10);
    clock.advance(MS_PER_DAY / 2);
    expect(currentPenalty(10, setAt, clock)).toBeCloseTo(8.1 * Math.sqrt(0.9), 10);
    clock.set(setAt.getTime() + 30 * MS_PER_DAY);
    expect(currentPenalty(10, setAt, clock)).toBeCloseTo(10 * 0.9 ** 30, 10);
  });
  it("takes a configurable rate, caps at 20 and never grows when the clock is behind", () => {
    const clock = new ManualClock(setAt.getTime() + MS_PER_DAY);
    expect(currentPenalty(10, setAt, clock, 0.5)).toBe(5);
    expect(currentPenalty(10, setAt, clock, 0)).toBe(10);
    expect(currentPenalty(35, setAt, new ManualClock(T0))).toBe(20);
    expect(currentPenalty(10, setAt, new ManualClock(setAt.getTime() - MS_PER_DAY))).toBe(10);
    expect(currentPenalty(-3, setAt, clock)).toBe(0);
    expect(() => currentPenalty(10, setAt, clock, 1)).toThrow(/decay/);
  });
});

describe("calculateDJRoutingScore", () => {
  it("adds the components and subtracts the decayed penalty", () => {
    const clock = new ManualClock(T0);
    const dj = makeDj({
      tier: "premium",
      avgResponseTimeMs: 2 * H,
      conversionRate: 0.45,
      reliability: 80,
      penalty: 10,
      penaltyUpdatedAt: new Date(new Date(T0).getTime() - MS_PER_DAY),
    });
    const score = calculateDJRoutingScore(dj, makeCityStats(), clock);
    expect(score.components).toEqual({
      tier: 25,
      responseSpeed: 18,
      conversion: 18,
      priceAlignment: 15,
      trust: 12,
      penalty: 9,
    });
    expect(score.total).toBe(79);
  });
  it("gives a new DJ in a new city the neutral values", () => {
    const score = calculateDJRoutingScore(makeDj({ tier: "budget", reliability: 70 }), null, new ManualClock(T0));
    expect(score.components).toEqual({
      tier: 15,
      responseSpeed: 12,
      conversion: 12,
      priceAlignment: 10,
      trust: 10.5,
      penalty: 0,
    });
  });
});

describe("rankDJs", () => {
  it("orders by score, then by id, whatever the input order", () => {
    const clock = new ManualClock(T0);
    const djs = [makeDj({ id: "dj-c" }), makeDj({ id: "dj-a", tier: "budget" }), makeDj({ id: "dj-b" })];
    const ids = (list: typeof djs) => rankDJs(list, null, clock).map((r) => r.djId);
    expect(ids(djs)).toEqual(["dj-b", "dj-c", "dj-a"]);
    expect(ids([...djs].reverse())).toEqual(["dj-b", "dj-c", "dj-a"]);
  });
  it("sorts ids by code unit, not locale", () => {
    const clock = new ManualClock(T0);
    expect(
      rankDJs([makeDj({ id: "b" }), makeDj({ id: "B" }), makeDj({ id: "a" })], null, clock).map((r) => r.djId),
    ).toEqual(["B", "a", "b"]);
  });
});
