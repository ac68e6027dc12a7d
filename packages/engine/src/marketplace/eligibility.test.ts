import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { checkDJEligibility, selectEligibleDJs, type AvailabilityOnDate } from "./eligibility";
import { makeDj, T0 } from "./testing";
import { MS_PER_MINUTE } from "./units";

const clock = new ManualClock(T0);
const now = new Date(T0).getTime();
const lead = { id: "lead-1", budgetMinCents: 180_000, budgetMaxCents: 220_000 };
const free: AvailabilityOnDate = { status: "available", lockedByLeadId: null, lockedUntil: null };
const rules = (r: ReturnType<typeof checkDJEligibility>) => r.failures.map((f) => f.rule);

describe("checkDJEligibility", () => {
  it("passes a DJ who meets every rule", () => {
    expect(checkDJEligibility(makeDj(), lead, free, clock)).toEqual({ eligible: true, failures: [] });
  });

  it.each([
    ["available", true],
    ["tentative", true],
    ["booked", false],
    ["unavailable", false],
  ] as const)("availability %s -> eligible %s", (status, ok) => {
    expect(checkDJEligibility(makeDj(), lead, { ...free, status }, clock).eligible).toBe(ok);
  });

  it("treats a date with no availability row as open", () => {
    expect(checkDJEligibility(makeDj(), lead, null, clock).eligible).toBe(true);
  });

  it("blocks on another lead's live lock, not on an expired one or this lead's own", () => {
    const lockedUntil = new Date(now + MS_PER_MINUTE);
    const other = { ...free, lockedByLeadId: "lead-2", lockedUntil };
    expect(rules(checkDJEligibility(makeDj(), lead, other, clock))).toEqual(["availability_lock"]);
    expect(checkDJEligibility(makeDj(), lead, { ...other, lockedByLeadId: "lead-1" }, clock).eligible).toBe(true);
    expect(checkDJEligibility(makeDj(), lead, { ...other, lockedUntil: new Date(now) }, clock).eligible).toBe(true);
    expect(checkDJEligibility(makeDj(), lead, { ...other, lockedUntil: new Date(now + 1) }, clock).eligible).toBe(
      false,
    );
  });

  it("a date held for another lead blocks with no end; a hold of this lead does not", () => {
    const held = { ...free, heldByLeadId: "lead-other" };
    expect(rules(checkDJEligibility(makeDj(), lead, held, clock))).toEqual(["date_held"]);
    // However far the clock moves, the hold stays until the lead releases it.
    const later = { now: () => new Date(now + 365 * 86_400_000) };
    expect(rules(checkDJEligibility(makeDj(), lead, held, later))).toEqual(["date_held"]);
    expect(checkDJEligibility(makeDj(), lead, { ...free, heldByLeadId: "lead-1" }, clock).eligible).toBe(true);
    expect(checkDJEligibility(makeDj(), lead, { ...free, heldByLeadId: null }, clock).eligible).toBe(true);
  });

  it("needs the price range to overlap the budget, touching edges included", () => {
    const at = (priceMinCents: number, priceMaxCents: number) =>
      checkDJEligibility(makeDj({ priceMinCents, priceMaxCents }), lead, free, clock).eligible;
    expect(at(220_000, 300_000)).toBe(true);
    expect(at(220_001, 300_000)).toBe(false);
    expect(at(100_000, 180_000)).toBe(true);
    expect(at(100_000, 179_999)).toBe(false);
    expect(at(100_000, 400_000)).toBe(true);
  });

  it("leaves a missing budget bound open", () => {
    const open = { ...lead, budgetMinCents: null, budgetMaxCents: null };
    expect(
      checkDJEligibility(makeDj({ priceMinCents: 9_000_000, priceMaxCents: 9_900_000 }), open, free, clock).eligible,
    ).toBe(true);
    const noMax = { ...lead, budgetMaxCents: null };
    expect(
      checkDJEligibility(makeDj({ priceMinCents: 100, priceMaxCents: 179_999 }), noMax, free, clock).eligible,
    ).toBe(false);
  });

  it("needs reliability of at least 50", () => {
    expect(checkDJEligibility(makeDj({ reliability: 50 }), lead, free, clock).eligible).toBe(true);
    expect(rules(checkDJEligibility(makeDj({ reliability: 49.9 }), lead, free, clock))).toEqual(["reliability"]);
  });

  it("ends a cooldown at its instant", () => {
    expect(checkDJEligibility(makeDj({ cooldownUntil: new Date(now) }), lead, free, clock).eligible).toBe(true);
    expect(rules(checkDJEligibility(makeDj({ cooldownUntil: new Date(now + 1) }), lead, free, clock))).toEqual([
      "cooldown",
    ]);
  });

  it("lists every failing rule", () => {
    const dj = makeDj({
      isActive: false,
      isSuspended: true,
      reliability: 10,
      priceMinCents: 500_000,
      priceMaxCents: 600_000,
    });
    expect(rules(checkDJEligibility(dj, lead, { ...free, status: "booked" }, clock))).toEqual([
      "availability",
      "price_overlap",
      "reliability",
      "active",
      "suspended",
    ]);
  });
});

describe("selectEligibleDJs", () => {
  it("drops ineligible DJs and ranks the rest", () => {
    const ranked = selectEligibleDJs(
      [
        { dj: makeDj({ id: "dj-b" }), availability: null },
        { dj: makeDj({ id: "dj-x", isSuspended: true, tier: "premium" }), availability: null },
        { dj: makeDj({ id: "dj-a", tier: "premium" }), availability: { ...free, status: "tentative" } },
        { dj: makeDj({ id: "dj-c" }), availability: { ...free, status: "booked" } },
      ],
      lead,
      null,
      clock,
    );
    expect(ranked.map((r) => r.djId)).toEqual(["dj-a", "dj-b"]);
  });
});
