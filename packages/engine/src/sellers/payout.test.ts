import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partialMismatch, pingExpired } from "./ping";
import { payoutFor, payoutReversalCents, pickPayoutRule, rulePayoutCents, type PayoutRule } from "./payout";
import { PAYOUT_RULE_KINDS } from "./values";

const fixed = (fixedCents: number, minMarginCents = 0): PayoutRule => ({
  kind: "FIXED_PER_LEAD",
  fixedCents,
  minMarginCents,
});
const share = (shareBp: number, minMarginCents = 0): PayoutRule => ({ kind: "REVENUE_SHARE", shareBp, minMarginCents });
const margin = (marginCents: number, minMarginCents = 0): PayoutRule => ({
  kind: "BID_MINUS_MARGIN",
  marginCents,
  minMarginCents,
});

describe("payoutFor", () => {
  it("pays a fixed amount, a share rounded down, or the bid minus the margin", () => {
    expect(payoutFor(fixed(1500), 4000)).toEqual({ accepted: true, payoutCents: 1500, marginCents: 2500 });
    expect(payoutFor(share(3333), 1000)).toEqual({ accepted: true, payoutCents: 333, marginCents: 667 });
    expect(payoutFor(margin(700), 2500)).toEqual({ accepted: true, payoutCents: 1800, marginCents: 700 });
  });

  it("refuses a lead whose bid leaves less than the minimum margin, and caps a sale's payout to keep it", () => {
    // $20 fixed on a $22 bid leaves $2 < $5 minimum: refused at ping; sold anyway, the payout keeps $5.
    expect(payoutFor(fixed(2000, 500), 2200)).toEqual({ accepted: false, payoutCents: 1700, marginCents: 500 });
    expect(payoutFor(fixed(2000, 500), 2500)).toEqual({ accepted: true, payoutCents: 2000, marginCents: 500 });
    expect(payoutFor(margin(100, 300), 2000).accepted).toBe(false);
    expect(payoutFor(share(5000, 0), 0)).toEqual({ accepted: false, payoutCents: 0, marginCents: 0 });
  });

  it("without a rule, takes any lead that sells and pays nothing", () => {
    expect(payoutFor(null, 900)).toEqual({ accepted: true, payoutCents: 0, marginCents: 900 });
    expect(payoutFor(null, 0).accepted).toBe(false);
  });

  const rule = fc.record({
    kind: fc.constantFrom(...PAYOUT_RULE_KINDS),
    fixedCents: fc.option(fc.integer({ min: -1000, max: 100_000 })),
    shareBp: fc.option(fc.integer({ min: -100, max: 20_000 })),
    marginCents: fc.option(fc.integer({ min: -1000, max: 100_000 })),
    minMarginCents: fc.integer({ min: -100, max: 50_000 }),
  });

  it("never pays below 0 or above the sale, in whole cents, and keeps the minimum margin whenever it pays", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 1_000_000 }), (r, revenue) => {
        const v = payoutFor(r, revenue);
        expect(Number.isInteger(v.payoutCents)).toBe(true);
        expect(v.payoutCents).toBeGreaterThanOrEqual(0);
        expect(v.payoutCents).toBeLessThanOrEqual(revenue);
        expect(v.payoutCents + v.marginCents).toBe(revenue);
        if (v.payoutCents > 0) expect(v.marginCents).toBeGreaterThanOrEqual(Math.max(0, r.minMarginCents));
        // Accepted means the rule's own payout fits: the seller gets exactly what the rule says.
        if (v.accepted) expect(v.payoutCents).toBe(rulePayoutCents(r, revenue));
      }),
    );
  });

  it("pays no less for a bigger sale (a seller is never worse off when LeadFlow sells higher)", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 500_000 }), (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(payoutFor(r, hi).payoutCents).toBeGreaterThanOrEqual(payoutFor(r, lo).payoutCents);
      }),
    );
  });
});

describe("pickPayoutRule", () => {
  it("prefers the vertical's own rule over the source's general one", () => {
    const rules = [
      { vertical: null, id: "all" },
      { vertical: "solar", id: "solar" },
    ];
    expect(pickPayoutRule(rules, "solar")?.id).toBe("solar");
    expect(pickPayoutRule(rules, "roofing")?.id).toBe("all");
    expect(pickPayoutRule([{ vertical: "solar", id: "s" }], "roofing")).toBeNull();
  });
});

describe("payoutReversalCents", () => {
  const sold = new Date("2026-03-01T12:00:00Z");
  it("reverses the whole payout within the window, to the millisecond, and nothing after it", () => {
    expect(payoutReversalCents(1200, sold, new Date(sold.getTime() + 7 * 86_400_000), 7)).toBe(1200);
    expect(payoutReversalCents(1200, sold, new Date(sold.getTime() + 7 * 86_400_000 + 1), 7)).toBeNull();
    expect(payoutReversalCents(0, sold, sold, 7)).toBeNull();
  });
});

describe("pingExpired", () => {
  it("expires at expiresAt exactly, not a millisecond before", () => {
    const at = new Date("2026-03-01T12:00:00.000Z");
    expect(pingExpired(at, new Date(at.getTime() - 1))).toBe(false);
    expect(pingExpired(at, at)).toBe(true);
  });
});

describe("partialMismatch", () => {
  const base = {
    vertical: "solar",
    zip: "73301",
    state: "TX",
    consent: { jornayaLeadId: "abcd-1234" },
    customFields: { roof: "tile", age: 40 },
  };
  it("names each differing field, custom fields by key", () => {
    expect(partialMismatch(base, { ...base })).toEqual([]);
    expect(
      partialMismatch(base, {
        ...base,
        zip: "73302",
        consent: {},
        customFields: { roof: "tile", age: 41, extra: true },
      }),
    ).toEqual(["zip", "consent.jornayaLeadId", "customFields.age", "customFields.extra"]);
  });
});
