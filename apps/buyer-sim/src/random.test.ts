import { describe, expect, it } from "vitest";
import type { Distribution, FailureRates } from "./config";
import { mulberry32, pickFailure, sample, seedFor } from "./random";

const draw = (d: Distribution, seed = 7, n = 10_000): number[] => {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => sample(d, rng));
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("mulberry32", () => {
  it("gives the same sequence for the same seed and a different one for another", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 20 }, a);
    expect(Array.from({ length: 20 }, b)).toEqual(sa);
    expect(Array.from({ length: 20 }, c)).not.toEqual(sa);
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const xs = Array.from({ length: 20_000 }, mulberry32(1));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });

  it("derives distinct per-buyer seeds from one sim seed", () => {
    expect(seedFor(1, "net-a")).toBe(seedFor(1, "net-a"));
    expect(seedFor(1, "net-a")).not.toBe(seedFor(1, "net-b"));
    expect(seedFor(1, "net-a")).not.toBe(seedFor(2, "net-a"));
  });
});

describe("sample", () => {
  it("fixed always gives its value", () => {
    expect(new Set(draw({ kind: "fixed", value: 12.5 }, 1, 100))).toEqual(new Set([12.5]));
  });

  it("uniform stays within min..max and averages the midpoint", () => {
    const xs = draw({ kind: "uniform", min: 20, max: 150 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...xs)).toBeLessThanOrEqual(150);
    expect(mean(xs)).toBeGreaterThan(80);
    expect(mean(xs)).toBeLessThan(90);
  });

  it("normal is clipped to min..max and centred on the mean", () => {
    const xs = draw({ kind: "normal", mean: 80, sd: 40, min: 20, max: 150 });
    expect(Math.min(...xs)).toBe(20);
    expect(Math.max(...xs)).toBe(150);
    const free = draw({ kind: "normal", mean: 100, sd: 10, min: 0 });
    expect(mean(free)).toBeGreaterThan(99);
    expect(mean(free)).toBeLessThan(101);
  });

  it("lognormal is positive, has the configured median and honours max", () => {
    const xs = draw({ kind: "lognormal", median: 60, sigma: 0.5 }).sort((a, b) => a - b);
    expect(xs[0]).toBeGreaterThan(0);
    const median = xs[xs.length / 2] ?? 0;
    expect(median).toBeGreaterThan(57);
    expect(median).toBeLessThan(63);
    expect(Math.max(...draw({ kind: "lognormal", median: 60, sigma: 1, max: 150 }))).toBe(150);
  });

  it("is reproducible with a seed", () => {
    const d: Distribution = { kind: "lognormal", median: 50, sigma: 0.8 };
    expect(draw(d, 99, 50)).toEqual(draw(d, 99, 50));
    expect(draw(d, 99, 50)).not.toEqual(draw(d, 100, 50));
  });
});

describe("pickFailure", () => {
  const rates: FailureRates = { hang: 0.1, error500: 0.2, reset: 0, malformed: 0.1, huge: 0, trickle: 0 };
  it("maps a uniform draw onto the cumulative probabilities", () => {
    expect(pickFailure(rates, 0.05)).toBe("hang");
    expect(pickFailure(rates, 0.15)).toBe("error500");
    expect(pickFailure(rates, 0.35)).toBe("malformed");
    expect(pickFailure(rates, 0.4)).toBeNull();
    expect(pickFailure({ ...rates, hang: 0, error500: 0, malformed: 0 }, 0)).toBeNull();
  });

  it("produces failures at about the configured rates", () => {
    const rng = mulberry32(5);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const f = pickFailure(rates, rng()) ?? "none";
      counts[f] = (counts[f] ?? 0) + 1;
    }
    expect((counts.error500 ?? 0) / 20_000).toBeCloseTo(0.2, 1);
    expect((counts.none ?? 0) / 20_000).toBeCloseTo(0.6, 1);
  });
});
