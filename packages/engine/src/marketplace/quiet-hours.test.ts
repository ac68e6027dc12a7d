import { describe, expect, it } from "vitest";
import { quietHoursEnd } from "./quiet-hours";

const chicago = { start: "22:00", end: "07:00", timeZone: "America/Chicago" };

describe("quietHoursEnd", () => {
  it("is null outside the span and when none is set", () => {
    expect(quietHoursEnd(new Date("2026-06-10T18:00:00Z"), chicago)).toBeNull(); // 13:00 CDT
    expect(quietHoursEnd(new Date("2026-06-10T18:00:00Z"), null)).toBeNull();
    expect(quietHoursEnd(new Date("2026-06-10T04:00:00Z"), { ...chicago, end: "22:00" })).toBeNull();
  });
  it("ends the next local morning for a span past midnight, before and after midnight", () => {
    // 23:30 CDT on June 9 → 07:00 CDT on June 10 = 12:00Z
    expect(quietHoursEnd(new Date("2026-06-10T04:30:00Z"), chicago)?.toISOString()).toBe("2026-06-10T12:00:00.000Z");
    // 03:00 CDT on June 10 → the same morning
    expect(quietHoursEnd(new Date("2026-06-10T08:00:00Z"), chicago)?.toISOString()).toBe("2026-06-10T12:00:00.000Z");
    // 07:00 sharp is no longer quiet
    expect(quietHoursEnd(new Date("2026-06-10T12:00:00Z"), chicago)).toBeNull();
  });
  it("keeps the local end across a DST change", () => {
    // The night of 2026-11-01 (CDT → CST): 07:00 CST is 13:00Z
    expect(quietHoursEnd(new Date("2026-11-01T04:00:00Z"), chicago)?.toISOString()).toBe("2026-11-01T13:00:00.000Z");
  });
  it("handles a span within one day", () => {
    const lunch = { start: "12:00", end: "13:30", timeZone: "UTC" };
    expect(quietHoursEnd(new Date("2026-06-10T12:10:00Z"), lunch)?.toISOString()).toBe("2026-06-10T13:30:00.000Z");
    expect(quietHoursEnd(new Date("2026-06-10T13:30:00Z"), lunch)).toBeNull();
  });
});
