import { describe, expect, it } from "vitest";
import {
  ALL_PARTY_CONSENT_STATES, classifyCall, consentModeForState, isE164, isRepeatCaller, nextVirtualNumber, recordingAllowed,
  validateCallThresholds,
} from "./calls";
import { MS_PER_DAY } from "./units";

describe("classifyCall", () => {
  it.each([[0, "ignored"], [29, "ignored"], [29.9, "ignored"], [30, "not_billable"], [59, "not_billable"], [60, "billable"], [3600, "billable"]] as const)(
    "%s s -> %s",
    (sec, expected) => expect(classifyCall(sec)).toBe(expected),
  );
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
