import { describe, expect, it } from "vitest";
import {
  checkReturnWindow,
  autoDecideReturn,
  netBidValueCents,
  phoneProblem,
  returnRateBp,
  returnsAllowed,
  withinReturnCap,
  type ReturnFacts,
} from "./rules";

const SOLD = new Date("2026-03-02T16:00:00Z");
const DAY = 86_400_000;

describe("checkReturnWindow", () => {
  it("accepts a request at the last instant of the window and refuses one a millisecond later", () => {
    const end = new Date(SOLD.getTime() + 7 * DAY);
    expect(checkReturnWindow(SOLD, end, 7)).toEqual({ ok: true, endsAt: end });
    const late = checkReturnWindow(SOLD, new Date(end.getTime() + 1), 7);
    expect(late.ok).toBe(false);
    expect(!late.ok && late.detail).toBe("the 7-day return window closed at 2026-03-09T16:00:00.000Z");
  });

  it("accepts right after the sale, and a window of 0 days accepts nothing", () => {
    expect(checkReturnWindow(SOLD, SOLD, 7).ok).toBe(true);
    const none = checkReturnWindow(SOLD, SOLD, 0);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.detail).toBe("this buyer's terms allow no returns");
  });
});

describe("the cap", () => {
  it("allows exactly 15% of 20 leads: the third return is within, the fourth is over", () => {
    expect(returnsAllowed(15, 20)).toBe(3);
    expect(withinReturnCap({ capPercent: 15, purchasesInPeriod: 20, returnsInPeriod: 2 })).toBe(true);
    expect(withinReturnCap({ capPercent: 15, purchasesInPeriod: 20, returnsInPeriod: 3 })).toBe(false);
  });

  it("rounds the allowance down: 15% of 6 leads allows none", () => {
    expect(returnsAllowed(15, 6)).toBe(0);
    expect(withinReturnCap({ capPercent: 15, purchasesInPeriod: 6, returnsInPeriod: 0 })).toBe(false);
    expect(withinReturnCap({ capPercent: 15, purchasesInPeriod: 7, returnsInPeriod: 0 })).toBe(true);
  });

  it("with no purchases in the period, or a 0% cap, nothing is within; 100% allows every lead once", () => {
    expect(withinReturnCap({ capPercent: 100, purchasesInPeriod: 0, returnsInPeriod: 0 })).toBe(false);
    expect(withinReturnCap({ capPercent: 0, purchasesInPeriod: 100, returnsInPeriod: 0 })).toBe(false);
    expect(withinReturnCap({ capPercent: 100, purchasesInPeriod: 5, returnsInPeriod: 4 })).toBe(true);
    expect(withinReturnCap({ capPercent: 100, purchasesInPeriod: 5, returnsInPeriod: 5 })).toBe(false);
  });
});

describe("phoneProblem", () => {
  it.each([
    ["(901) 555-0123", "555-0123 is in the fictional 555-01xx range"],
    ["123-456-7890", "area code 123 cannot start with 1"],
    ["911-555-2368", "911 is a service code, not an area code"],
    ["901-011-2368", "exchange 011 cannot start with 0"],
    ["901-411-2368", "exchange 411 is a service code"],
    ["2222222222", "one digit repeated"],
    ["90155512", "8 digits, not a 10-digit number"],
    [null, "the lead has no phone number"],
  ])("%s fails: %s", (phone, problem) => {
    expect(phoneProblem(phone)).toBe(problem);
  });

  it.each(["(901) 555-2368", "+1 512 200 0001", "5122000001"])("%s passes", (phone) => {
    expect(phoneProblem(phone)).toBeNull();
  });
});

const facts = (over: Partial<ReturnFacts> = {}): ReturnFacts => ({
  reason: "FAKE_OR_TEST",
  phone: "9015552368",
  duplicateOf: null,
  cap: { capPercent: 15, purchasesInPeriod: 20, returnsInPeriod: 0 },
  ...over,
});
const overCap = { capPercent: 15, purchasesInPeriod: 20, returnsInPeriod: 3 };

describe("autoDecideReturn", () => {
  it("approves a duplicate the platform confirms, even over the cap", () => {
    const d = autoDecideReturn(
      facts({ reason: "DUPLICATE", duplicateOf: { leadId: "lead-0", soldAt: SOLD }, cap: overCap }),
    );
    expect(d).toEqual({
      status: "APPROVED",
      rule: "VERIFIED_DUPLICATE",
      verified: true,
      detail: "same person as lead lead-0, bought 2026-03-02T16:00:00.000Z",
    });
  });

  it("approves an invalid phone the platform confirms, even over the cap", () => {
    const d = autoDecideReturn(facts({ reason: "INVALID_PHONE", phone: "901-555-0100", cap: overCap }));
    expect(d).toMatchObject({ status: "APPROVED", rule: "VERIFIED_INVALID_PHONE", verified: true });
  });

  it("does not take an unconfirmed duplicate or a valid phone as verified: past the cap they wait for an admin", () => {
    const dup = autoDecideReturn(facts({ reason: "DUPLICATE", cap: overCap }));
    expect(dup).toMatchObject({ status: "PENDING", rule: "OVER_CAP", verified: false });
    expect(dup.detail).toBe(
      "no earlier purchase of this person in the look-back; 3 of 3 returns allowed (15% of 20 leads) used this period; an admin decides",
    );
    expect(autoDecideReturn(facts({ reason: "INVALID_PHONE", cap: overCap }))).toMatchObject({
      status: "PENDING",
      rule: "OVER_CAP",
    });
  });

  it("approves an unverifiable reason within the cap and holds it past the cap", () => {
    expect(autoDecideReturn(facts({ reason: "CONSUMER_DENIES" }))).toMatchObject({
      status: "APPROVED",
      rule: "WITHIN_CAP",
      verified: false,
    });
    expect(
      autoDecideReturn(facts({ reason: "OUTSIDE_SERVICE_AREA", cap: { ...overCap, returnsInPeriod: 2 } })).status,
    ).toBe("APPROVED");
    expect(autoDecideReturn(facts({ reason: "OUTSIDE_SERVICE_AREA", cap: overCap })).status).toBe("PENDING");
  });
});

describe("return rate and net bid value", () => {
  it("is approved returns per 10,000 purchases, null without purchases", () => {
    expect(returnRateBp(3, 20)).toBe(1500);
    expect(returnRateBp(1, 3)).toBe(3333);
    expect(returnRateBp(0, 0)).toBeNull();
  });

  it("takes the rate off the bid, rounding to whole cents, and leaves a buyer without a rate at face value", () => {
    expect(netBidValueCents(3000, 2000)).toBe(2400);
    expect(netBidValueCents(1001, 5000)).toBe(501);
    expect(netBidValueCents(3000, null)).toBe(3000);
    expect(netBidValueCents(3000, 0)).toBe(3000);
    expect(netBidValueCents(3000, 10_000)).toBe(0);
  });
});
