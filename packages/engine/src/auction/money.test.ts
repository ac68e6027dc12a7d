import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BID_CENTS, formatCents, toCents } from "./money";

describe("toCents", () => {
  it.each([
    [12.5, "dollars", 1250],
    ["12.50", "dollars", 1250],
    [" 7 ", "dollars", 700],
    ["12.345", "dollars", 1235],
    ["12.344", "dollars", 1234],
    [1.005, "dollars", 101], // Math.round(1.005 * 100) would say 100
    [0.1 + 0.2, "dollars", 30],
    ["0.004", "dollars", 0],
    [1250, "cents", 1250],
    ["1250.5", "cents", 1251],
    ["1250.4", "cents", 1250],
    ["007.10", "dollars", 710],
    [1e-9, "dollars", 0],
  ] as const)("%j %s → %i cents", (value, unit, cents) => {
    expect(toCents(value, unit)).toEqual({ ok: true, cents });
  });

  it.each([
    [-1, /negative/],
    ["-0.5", /negative/],
    [Number.NaN, /not finite/],
    [Number.POSITIVE_INFINITY, /not finite/],
    ["12,50", /not a decimal/],
    ["$12", /not a decimal/],
    ["1e3", /not a decimal/],
    ["", /not a decimal/],
    [true, /not a number \(boolean\)/],
    [null, /not a number \(null\)/],
    [{ amount: 1 }, /not a number \(object\)/],
    [[1], /not a number \(array\)/],
    [100_000.01, /absurd/],
    [1e22, /absurd/],
    ["99999999999999999999", /absurd/],
  ])("%j is an error", (value, message) => {
    const r = toCents(value, "dollars");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it("allows exactly the maximum and honours a custom one", () => {
    expect(toCents(MAX_BID_CENTS / 100, "dollars")).toEqual({ ok: true, cents: MAX_BID_CENTS });
    expect(toCents(6, "dollars", 500).ok).toBe(false);
  });

  it("agrees with exact integer arithmetic for every two-decimal amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_BID_CENTS }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
        expect(toCents(text, "dollars")).toEqual({ ok: true, cents });
        expect(toCents(Number(text), "dollars")).toEqual({ ok: true, cents });
        expect(toCents(cents, "cents")).toEqual({ ok: true, cents });
      }),
    );
  });
});

describe("formatCents", () => {
  it("shows dollars and cents", () => {
    expect(formatCents(1250)).toBe("$12.50");
    expect(formatCents(5)).toBe("$0.05");
    expect(formatCents(-199)).toBe("-$1.99");
    expect(formatCents(-100)).toBe("-$1.00");
    expect(formatCents(123_450)).toBe("$1,234.50");
    expect(formatCents(123_456_789)).toBe("$1,234,567.89");
    expect(formatCents(240_000, { trimZeroCents: true })).toBe("$2,400");
    expect(formatCents(240_050, { trimZeroCents: true })).toBe("$2,400.50");
    expect(formatCents(-100, { trimZeroCents: true })).toBe("-$1");
  });
});
