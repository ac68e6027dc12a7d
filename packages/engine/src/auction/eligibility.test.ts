import { describe, expect, it } from "vitest";
import {
  carriedConsent,
  checkEligibility,
  checkSaleRules,
  claimsBeforeAuction,
  missingCompliance,
} from "./eligibility";
import { AT, contractor, lead, network } from "./testing";
import { NO_SALES } from "./types";

const counters = (over = {}) => ({ ...NO_SALES, ...over });

describe("checkEligibility", () => {
  it("admits a buyer that passes every rule, saying where it serves", () => {
    expect(checkEligibility(lead(), network("n1"), NO_SALES, AT)).toEqual({
      buyerId: "n1",
      eligible: true,
      priority: 1,
      detail: "serves zip 10001 at priority 1",
    });
  });

  it("refuses a screened person as SUPPRESSED: everyone on a global hit, only the named buyer otherwise", () => {
    const everyone = lead({ screening: { everyone: "on the global suppression list", buyers: {} } });
    expect(checkEligibility(everyone, network("n1"), NO_SALES, AT)).toMatchObject({
      eligible: false,
      reason: "SUPPRESSED",
      detail: "on the global suppression list",
    });
    const own = lead({ screening: { everyone: null, buyers: { n1: "on this buyer's suppression list" } } });
    expect(checkEligibility(own, network("n1"), NO_SALES, AT)).toMatchObject({ eligible: false, reason: "SUPPRESSED" });
    expect(checkEligibility(own, network("n2"), NO_SALES, AT)).toMatchObject({ eligible: true });
    // A buyer of another vertical is told WRONG_VERTICAL first: the screen is the vertical's.
    const other = network("n1", { verticals: ["solar"] });
    expect(checkEligibility(everyone, other, NO_SALES, AT)).toMatchObject({ reason: "WRONG_VERTICAL" });
  });

  it.each([
    ["INACTIVE", network("n", { active: false }), NO_SALES, /paused/],
    ["WRONG_VERTICAL", network("n", { verticals: ["solar"] }), NO_SALES, /does not buy roofing/],
    ["NOT_IN_AREA", network("n", { serviceZips: [{ zip: "90210", priority: 1 }] }), NO_SALES, /zip 10001/],
    ["COMPLIANCE_MISSING", network("n", { compliance: ["TRUSTED_FORM", "JORNAYA"] }), NO_SALES, /requires JORNAYA/],
    ["NO_PRICE", contractor("c", { fixedLeadPriceCents: null }), NO_SALES, /FIXED pricing without a price/],
    [
      "OUTSIDE_HOURS",
      network("n", { hours: { wed: [["12:00", "18:00"]] } }),
      NO_SALES,
      /^closed at wed 10:00 America\/New_York$/,
    ],
    [
      "CAP_REACHED",
      network("n", { caps: { daily: 10 } }),
      counters({ salesToday: 10 }),
      /daily cap 10 reached \(10 sold today/,
    ],
    ["CAP_REACHED", network("n", { caps: { weekly: 50 } }), counters({ salesThisWeek: 50 }), /weekly cap 50/],
    ["CAP_REACHED", network("n", { caps: { monthly: 0 } }), NO_SALES, /monthly cap 0/],
    [
      "DUPLICATE_LEAD",
      network("n", { duplicateLookbackDays: 30 }),
      counters({ duplicateWithinLookback: true }),
      /last 30 days/,
    ],
  ] as const)("refuses with %s", (reason, buyer, c, detail) => {
    const v = checkEligibility(lead(), buyer, c, AT);
    expect(v).toMatchObject({ eligible: false, reason });
    expect(v.detail).toMatch(detail);
  });

  it("ignores the duplicate flag when the buyer has no look-back", () => {
    expect(checkEligibility(lead(), network("n"), counters({ duplicateWithinLookback: true }), AT).eligible).toBe(true);
  });

  it("matches verticals case-insensitively and ZIP+4 as the 5-digit zip", () => {
    const buyer = contractor("c", { verticals: ["Roofing"] });
    expect(checkEligibility(lead({ zip: "10001-1234", vertical: "roofing " }), buyer, NO_SALES, AT).eligible).toBe(
      true,
    );
  });

  it("reports the first failing rule: inactive before out of area", () => {
    const v = checkEligibility(lead(), network("n", { active: false, serviceZips: [] }), NO_SALES, AT);
    expect(v).toMatchObject({ reason: "INACTIVE" });
  });
});

describe("checkSaleRules", () => {
  it("passes below every cap and inside hours", () => {
    const buyer = network("n", { caps: { daily: 10, weekly: 20 }, hours: { wed: [["08:00", "18:00"]] } });
    expect(checkSaleRules(buyer, counters({ salesToday: 9, salesThisWeek: 19 }), AT)).toEqual({ ok: true });
  });
  it("checks hours before caps", () => {
    const buyer = network("n", { caps: { daily: 0 }, hours: {} });
    expect(checkSaleRules(buyer, NO_SALES, AT)).toMatchObject({ ok: false, reason: "OUTSIDE_HOURS" });
  });
});

describe("missingCompliance", () => {
  it("lists each unmet requirement once; blank evidence counts as none", () => {
    expect(
      missingCompliance(["JORNAYA", "JORNAYA", "TRUSTED_FORM"], { trustedFormCertUrl: " ", jornayaLeadId: null }),
    ).toEqual(["JORNAYA", "TRUSTED_FORM"]);
    expect(missingCompliance(undefined, {})).toEqual([]);
    expect(missingCompliance(["JORNAYA"], { jornayaLeadId: "LID-1" })).toEqual([]);
  });
});

describe("claimed consent and validation (issue #19)", () => {
  const tf = "https://cert.trustedform.com/abc";
  const strict = network("n", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });

  it.each([
    ["not claimed", {}, /was not claimed/, "NOT_CLAIMED", null],
    ["refused", { trustedFormClaim: { status: "FAILED", matched: null } }, /refused the claim/, "FAILED", null],
    ["unreachable", { trustedFormClaim: { status: "ERROR", matched: null } }, /could not be reached/, "ERROR", null],
    ["not matching", { trustedFormClaim: { status: "CLAIMED", matched: false } }, /does not/, "CLAIMED", false],
  ] as const)("refuses a lead whose certificate was %s, with structured facts", (_, claim, detail, status, matched) => {
    const v = checkEligibility(lead({ consent: { trustedFormCertUrl: tf, ...claim } }), strict, NO_SALES, AT);
    expect(v).toMatchObject({ eligible: false, reason: "COMPLIANCE_MISSING", detail: expect.stringMatching(detail) });
    expect(v.eligible === false && v.facts).toEqual({ requirement: "TRUSTED_FORM", claim: status, matched });
  });

  it("admits a claimed, matching certificate; and presence alone when the buyer does not ask for a claim", () => {
    const claimed = lead({
      consent: { trustedFormCertUrl: tf, trustedFormClaim: { status: "CLAIMED", matched: true } },
    });
    expect(checkEligibility(claimed, strict, NO_SALES, AT).eligible).toBe(true);
    const present = lead({ consent: { trustedFormCertUrl: tf } });
    expect(checkEligibility(present, network("n", { compliance: ["TRUSTED_FORM"] }), NO_SALES, AT).eligible).toBe(true);
    // A Jornaya authenticate says nothing about a match: claimed is enough.
    const jornaya = lead({ consent: { jornayaLeadId: "x", jornayaClaim: { status: "CLAIMED", matched: null } } });
    const wantsJornaya = network("n", { compliance: ["JORNAYA"], requireClaimedConsent: true });
    expect(checkEligibility(jornaya, wantsJornaya, NO_SALES, AT).eligible).toBe(true);
  });

  it("refuses an invalid phone or a disposable email only for a buyer that asks, as VALIDATION_FAILED", () => {
    const bad = lead({ validation: { phone: "INVALID", phoneLineType: null, email: "DISPOSABLE" } });
    expect(checkEligibility(bad, network("n"), NO_SALES, AT).eligible).toBe(true);
    expect(checkEligibility(bad, network("n", { refuseInvalidPhone: true }), NO_SALES, AT)).toMatchObject({
      eligible: false,
      reason: "VALIDATION_FAILED",
      detail: "refuses leads whose phone number is not valid",
      facts: { check: "phone", result: "INVALID" },
    });
    expect(checkEligibility(bad, network("n", { refuseDisposableEmail: true }), NO_SALES, AT)).toMatchObject({
      reason: "VALIDATION_FAILED",
      facts: { check: "email", result: "DISPOSABLE" },
    });
    const good = lead({ validation: { phone: "VALID", phoneLineType: "MOBILE", email: "VALID" } });
    const picky = network("n", { refuseInvalidPhone: true, refuseDisposableEmail: true });
    expect(checkEligibility(good, picky, NO_SALES, AT).eligible).toBe(true);
    // Not validated (an old lead), or no email given: nothing to refuse on.
    expect(checkEligibility(lead(), picky, NO_SALES, AT).eligible).toBe(true);
    const noEmail = lead({ validation: { phone: "VALID", email: "MISSING" } });
    expect(checkEligibility(noEmail, picky, NO_SALES, AT).eligible).toBe(true);
  });
});

describe("claimsBeforeAuction", () => {
  it("claims before the first ping only what the lead carries and an active buyer requires claimed", () => {
    const consent = { trustedFormCertUrl: "https://cert.trustedform.com/abc", jornayaLeadId: "tok" };
    const wantsTf = network("a", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const presenceOnly = network("b", { compliance: ["JORNAYA"] });
    const paused = network("c", { compliance: ["JORNAYA"], requireClaimedConsent: true, active: false });
    expect(claimsBeforeAuction([wantsTf, presenceOnly, paused], consent)).toEqual(["TRUSTED_FORM"]);
    expect(claimsBeforeAuction([wantsTf], { jornayaLeadId: "tok" })).toEqual([]);
    expect(carriedConsent(consent)).toEqual(["TRUSTED_FORM", "JORNAYA"]);
  });

  it("claims nothing for buyers the screens refused the person to (a claim is paid for)", () => {
    const consent = { trustedFormCertUrl: "https://cert.trustedform.com/abc", jornayaLeadId: "tok" };
    const wantsTf = network("a", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const wantsJ = network("b", { compliance: ["JORNAYA"], requireClaimedConsent: true });
    const everyone = { everyone: "on the global suppression list", buyers: {} };
    expect(claimsBeforeAuction([wantsTf, wantsJ], consent, everyone)).toEqual([]);
    const onlyA = { everyone: null, buyers: { a: "on this buyer's suppression list" } };
    expect(claimsBeforeAuction([wantsTf, wantsJ], consent, onlyA)).toEqual(["JORNAYA"]);
  });
});
