import { describe, expect, it } from "vitest";
import { LEAD_STATUSES, LOST_REASONS, TERMINAL_LEAD_STATUSES, canTransition, isLostReason, isTerminal } from "./values";

describe("value lists", () => {
  it("holds the seed's thirteen lost reasons, VALIDATION_FAILED, SUPPRESSED (issue #19) and INSUFFICIENT_FUNDS (issue #16), once each", () => {
    expect(LOST_REASONS).toEqual([
      "TIMEOUT",
      "NO_BID",
      "BELOW_MIN_BID",
      "COMPLIANCE_MISSING",
      "VALIDATION_FAILED",
      "SUPPRESSED",
      "OUTBID",
      "POST_REJECTED",
      "DUPLICATE_LEAD",
      "OUTSIDE_HOURS",
      "CAP_REACHED",
      "INSUFFICIENT_FUNDS",
      "CASCADE_EXHAUSTED",
      "NOT_SELECTED",
      "EXCLUSIVE_TAKEN",
      "LOWER_PRIORITY",
    ]);
    expect(isLostReason("OUTBID")).toBe(true);
    expect(isLostReason("ERROR")).toBe(false);
  });
});

describe("lead lifecycle", () => {
  it("ends only in SOLD, UNSOLD or REJECTED, and never leaves them", () => {
    expect(TERMINAL_LEAD_STATUSES).toEqual(["SOLD", "UNSOLD", "REJECTED"]);
    for (const from of TERMINAL_LEAD_STATUSES) {
      expect(isTerminal(from)).toBe(true);
      for (const to of LEAD_STATUSES) expect(canTransition(from, to)).toBe(false);
    }
  });

  it("goes RECEIVED → PROCESSING → SOLD | UNSOLD, or RECEIVED → REJECTED", () => {
    expect(canTransition("RECEIVED", "PROCESSING")).toBe(true);
    expect(canTransition("RECEIVED", "REJECTED")).toBe(true);
    expect(canTransition("RECEIVED", "SOLD")).toBe(false);
    expect(canTransition("PROCESSING", "SOLD")).toBe(true);
    expect(canTransition("PROCESSING", "UNSOLD")).toBe(true);
    expect(canTransition("PROCESSING", "REJECTED")).toBe(false);
    expect(canTransition("PROCESSING", "RECEIVED")).toBe(false);
    expect(isTerminal("PROCESSING")).toBe(false);
  });
});
