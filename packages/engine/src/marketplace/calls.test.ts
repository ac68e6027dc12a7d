import { describe, expect, it } from "vitest";
import {
  ALL_PARTY_CONSENT_STATES,
  attributeCall,
  classifyCall,
  consentModeForState,
  isE164,
  isRepeatCaller,
  nextVirtualNumber,
  normalizePhoneE164,
  recordingAllowed,
  type PriorCall,
  validateCallThresholds,
} from "./calls";
import { MS_PER_DAY } from "./units";

describe("classifyCall", () => {
  it.each([
    [0, "ignored"],
    [29, "ignored"],
    [29.9, "ignored"],
    [30, "not_billable"],
    [59, "not_billable"],
    [60, "billable"],
    [3600, "billable"],
  ] as const)("%s s -> %s", (sec, expected) => expect(classifyCall(sec)).toBe(expected));
  it("takes configured thresholds and refuses nonsense", () => {
    expect(classifyCall(45, { billableMinSec: 45, ignoreBelowSec: 10 })).toBe("billable");
    expect(() => classifyCall(-1)).toThrow(/duration/);
    expect(() => classifyCall(Number.NaN)).toThrow(/duration/);
    expect(validateCallThresholds({ billableMinSec: 30, ignoreBelowSec: 60 })).toHaveLength(1);
    expect(validateCallThresholds({ billableMinSec: 60, ignoreBelowSec: 30 })).toEqual([]);
    expect(validateCallThresholds({ billableMinSec: 1.5, ignoreBelowSec: -1 })).toHaveLength(2);
  });
});

describe("isRepeatCaller", () => {
  const now = new Date("2026-03-08T12:00:00Z");
  it("includes the exact 7-day edge and excludes a millisecond past it", () => {
    expect(isRepeatCaller(new Date(now.getTime() - 7 * MS_PER_DAY), now)).toBe(true);
    expect(isRepeatCaller(new Date(now.getTime() - 7 * MS_PER_DAY - 1), now)).toBe(false);
    expect(isRepeatCaller(new Date(now.getTime() - MS_PER_DAY), now)).toBe(true);
  });
  it("handles no previous call, a custom window and a previous call stamped in the future", () => {
    expect(isRepeatCaller(null, now)).toBe(false);
    expect(isRepeatCaller(new Date(now.getTime() - 2 * MS_PER_DAY), now, 1)).toBe(false);
    expect(isRepeatCaller(new Date(now.getTime() + 1000), now)).toBe(true);
  });
});

describe("nextVirtualNumber", () => {
  const pool = ["+19015550100", "+19015550101", "+19015550102"];
  it("rotates and wraps", () => {
    expect(nextVirtualNumber(pool, null)).toEqual({ number: pool[0], index: 0 });
    expect(nextVirtualNumber(pool, 0)).toEqual({ number: pool[1], index: 1 });
    expect(nextVirtualNumber(pool, 2)).toEqual({ number: pool[0], index: 0 });
  });
  it("restarts from a stale index and returns null for an empty pool", () => {
    expect(nextVirtualNumber(pool, 7)).toEqual({ number: pool[0], index: 0 });
    expect(nextVirtualNumber(pool, -4)).toEqual({ number: pool[0], index: 0 });
    expect(nextVirtualNumber([], 0)).toBeNull();
  });
  it("validates E.164", () => {
    expect(pool.every(isE164)).toBe(true);
    expect(["9015550100", "+0123", "+1 901 555 0100", "+1234567890123456"].some(isE164)).toBe(false);
  });
});

describe("recording consent", () => {
  it("lists the all-party states", () => {
    for (const s of ["CA", "CT", "FL", "IL", "MD", "MA", "MI", "MT", "NH", "PA", "WA", "DE", "NV"]) {
      expect(ALL_PARTY_CONSENT_STATES).toContain(s);
    }
    expect(consentModeForState("tn")).toBe("one_party");
    expect(consentModeForState(" ca ")).toBe("all_party");
    expect(consentModeForState(null)).toBe("all_party");
    expect(consentModeForState("Tennessee")).toBe("all_party");
  });
  it("needs the number's flag, and an announcement when any party is all-party or unknown", () => {
    expect(recordingAllowed("TN", false, true)).toEqual({ allowed: false, reason: "recording_disabled" });
    expect(recordingAllowed("TN", true, false)).toEqual({ allowed: true, reason: "one_party_states" });
    expect(recordingAllowed(["TN", "CA"], true, false)).toEqual({ allowed: false, reason: "consent_not_announced" });
    expect(recordingAllowed(["TN", "CA"], true, true)).toEqual({ allowed: true, reason: "announced" });
    expect(recordingAllowed(["TN", null], true, false).allowed).toBe(false);
    expect(recordingAllowed([], true, false).allowed).toBe(false);
  });
});

describe("normalizePhoneE164", () => {
  it("reads what customers type and refuses what cannot be a number", () => {
    expect(normalizePhoneE164("(901) 555-0100")).toBe("+19015550100");
    expect(normalizePhoneE164("1-901-555-0100")).toBe("+19015550100");
    expect(normalizePhoneE164("+44 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhoneE164("555-0100")).toBeNull();
    expect(normalizePhoneE164("")).toBeNull();
    expect(normalizePhoneE164(null)).toBeNull();
  });
});

describe("attributeCall", () => {
  const now = new Date("2026-03-08T12:00:00Z");
  const prior = (daysAgo: number, over: Partial<PriorCall> = {}): PriorCall => ({
    id: "c1",
    at: new Date(now.getTime() - daysAgo * MS_PER_DAY),
    threadId: "c1",
    marketLeadId: "lead-1",
    threadBilled: true,
    ...over,
  });
  it("bills a new caller at 60 s, records 30-59 s unbilled and ignores 29 s", () => {
    expect(attributeCall({ durationSec: 60, now, lastCall: null, matchingLeadId: null })).toMatchObject({
      classification: "billable",
      billed: true,
      threadId: null,
    });
    expect(attributeCall({ durationSec: 59, now, lastCall: null, matchingLeadId: null })).toMatchObject({
      classification: "not_billable",
      billed: false,
    });
    expect(attributeCall({ durationSec: 30, now, lastCall: null, matchingLeadId: null })).toMatchObject({
      classification: "not_billable",
      billed: false,
    });
    expect(attributeCall({ durationSec: 29, now, lastCall: null, matchingLeadId: "lead-9" })).toMatchObject({
      classification: "ignored",
      billed: false,
      marketLeadId: "lead-9",
    });
  });
  it("joins a repeat caller to the earlier lead at exactly 7 days and starts a new one just after", () => {
    const same = attributeCall({ durationSec: 120, now, lastCall: prior(7), matchingLeadId: null });
    expect(same).toMatchObject({
      threadId: "c1",
      repeatOfCallId: "c1",
      marketLeadId: "lead-1",
      attributedBy: "repeat_caller",
      billed: false,
    });
    const later = attributeCall({ durationSec: 120, now, lastCall: prior(7 + 1 / 86_400_000), matchingLeadId: null });
    expect(later).toMatchObject({ threadId: null, repeatOfCallId: null, marketLeadId: null, billed: true });
  });
  it("bills a repeat caller's thread once, on its first billable call", () => {
    expect(
      attributeCall({
        durationSec: 90,
        now,
        lastCall: prior(1, { threadBilled: false, marketLeadId: null }),
        matchingLeadId: "lead-2",
      }),
    ).toMatchObject({
      billed: true,
      marketLeadId: "lead-2",
      attributedBy: "lead_phone",
    });
    expect(
      attributeCall({ durationSec: 90, now, lastCall: prior(1), matchingLeadId: null, windowDays: 0 }).billed,
    ).toBe(true);
  });
  it("takes configured thresholds", () => {
    expect(
      attributeCall({
        durationSec: 45,
        now,
        lastCall: null,
        matchingLeadId: null,
        thresholds: { billableMinSec: 45, ignoreBelowSec: 15 },
      }).billed,
    ).toBe(true);
  });
});
