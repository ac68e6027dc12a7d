import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  crossesMidnight,
  duplicateLookbackStart,
  isValidTimeZone,
  localParts,
  localPeriods,
  overnightDays,
  parseHm,
  withinHours,
  zonedWallToUtc,
} from "./time";

const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;

describe("localParts", () => {
  it("reads the wall clock and weekday in the zone", () => {
    expect(localParts(new Date("2026-03-04T15:00:00Z"), "America/New_York")).toEqual({
      year: 2026,
      month: 3,
      day: 4,
      hour: 10,
      minute: 0,
      second: 0,
      weekday: "wed",
    });
    expect(localParts(new Date("2026-01-01T02:00:00Z"), "America/Los_Angeles").weekday).toBe("wed");
  });

  it("knows valid zones from invalid ones", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("zonedWallToUtc", () => {
  it("takes the earlier instant of an ambiguous fall-back time", () => {
    expect(iso(new Date(zonedWallToUtc(Date.UTC(2026, 10, 1, 1, 30), "America/New_York")))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
  });
  it("moves a skipped spring-forward time past the gap", () => {
    expect(iso(new Date(zonedWallToUtc(Date.UTC(2026, 2, 8, 2, 30), "America/New_York")))).toBe(
      "2026-03-08T07:30:00.000Z",
    );
  });
});

describe("localPeriods", () => {
  it("gives a 23-hour day when the clocks spring forward", () => {
    const { day } = localPeriods(new Date("2026-03-08T12:00:00Z"), "America/New_York");
    expect([iso(day.start), iso(day.end), day.key]).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-09T04:00:00.000Z",
      "2026-03-08",
    ]);
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * HOUR);
  });

  it("gives a 25-hour day when they fall back", () => {
    const { day } = localPeriods(new Date("2026-11-01T12:00:00Z"), "America/New_York");
    expect(day.end.getTime() - day.start.getTime()).toBe(25 * HOUR);
  });

  it("starts the day when the clock jumps over midnight (Chile)", () => {
    const { day } = localPeriods(new Date("2026-09-06T12:00:00Z"), "America/Santiago");
    expect(iso(day.start)).toBe("2026-09-06T04:00:00.000Z");
    expect(localParts(day.start, "America/Santiago").hour).toBe(1);
  });

  it("starts weeks on Monday and months on the 1st, in local time", () => {
    const p = localPeriods(new Date("2026-01-01T02:00:00Z"), "Asia/Kolkata"); // Thu 07:30 IST
    expect([iso(p.week.start), p.week.key]).toEqual(["2025-12-28T18:30:00.000Z", "2025-12-29"]);
    expect([iso(p.month.start), iso(p.month.end)]).toEqual(["2025-12-31T18:30:00.000Z", "2026-01-31T18:30:00.000Z"]);
  });

  it("puts a UTC instant into the buyer's local day, not the UTC day", () => {
    // 03:00 UTC on the 5th is still the 4th in Los Angeles.
    expect(localPeriods(new Date("2026-03-05T03:00:00Z"), "America/Los_Angeles").day.key).toBe("2026-03-04");
  });

  it("always contains the instant, with day ⊆ week and day ⊆ month", () => {
    const zones = [
      "America/New_York",
      "Europe/London",
      "Australia/Lord_Howe",
      "America/Santiago",
      "Asia/Kathmandu",
      "UTC",
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        (t, tz) => {
          const p = localPeriods(new Date(t), tz);
          for (const period of [p.day, p.week, p.month]) {
            expect(period.start.getTime()).toBeLessThanOrEqual(t);
            expect(period.end.getTime()).toBeGreaterThan(t);
          }
          expect(p.week.start.getTime()).toBeLessThanOrEqual(p.day.start.getTime());
          expect(p.month.start.getTime()).toBeLessThanOrEqual(p.day.start.getTime());
          const len = p.day.end.getTime() - p.day.start.getTime();
          expect(len).toBeGreaterThanOrEqual(22 * HOUR);
          expect(len).toBeLessThanOrEqual(26 * HOUR);
          expect(localParts(p.week.start, tz).weekday).toBe("mon");
        },
      ),
    );
  });
});

describe("withinHours", () => {
  const tz = "America/New_York";
  const weekday = {
    mon: [["08:00", "18:00"]],
    wed: [
      ["08:00", "12:00"],
      ["13:00", "18:00"],
    ],
  } as const;

  it("is open inside an interval, start inclusive and end exclusive", () => {
    expect(withinHours(new Date("2026-03-04T13:00:00Z"), tz, weekday)).toBe(true); // Wed 08:00
    expect(withinHours(new Date("2026-03-04T17:00:00Z"), tz, weekday)).toBe(false); // Wed 12:00 (lunch)
    expect(withinHours(new Date("2026-03-04T23:00:00Z"), tz, weekday)).toBe(false); // Wed 18:00
  });

  it("is closed on a day without hours, and always open without a table", () => {
    expect(withinHours(new Date("2026-03-03T15:00:00Z"), tz, weekday)).toBe(false); // Tue
    expect(withinHours(new Date("2026-03-03T15:00:00Z"), tz, null)).toBe(true);
  });

  it("follows the wall clock across DST", () => {
    const sun = { sun: [["09:00", "10:00"]] } as const;
    expect(withinHours(new Date("2026-03-01T14:30:00Z"), tz, sun)).toBe(true); // EST 09:30
    expect(withinHours(new Date("2026-03-08T13:30:00Z"), tz, sun)).toBe(true); // EDT 09:30
    expect(withinHours(new Date("2026-03-08T14:30:00Z"), tz, sun)).toBe(false); // EDT 10:30
  });

  it("runs an overnight interval into the next morning", () => {
    const night = { fri: [["22:00", "02:00"]] } as const;
    expect(withinHours(new Date("2026-03-07T03:00:00Z"), tz, night)).toBe(true); // Fri 22:00
    expect(withinHours(new Date("2026-03-07T06:59:00Z"), tz, night)).toBe(true); // Sat 01:59
    expect(withinHours(new Date("2026-03-07T07:00:00Z"), tz, night)).toBe(false); // Sat 02:00
    expect(withinHours(new Date("2026-03-06T06:00:00Z"), tz, night)).toBe(false); // Fri 01:00
  });

  it("names the days whose hours run past midnight, the ones withinHours carries into the next day", () => {
    expect(crossesMidnight(["18:00", "09:00"])).toBe(true);
    expect(crossesMidnight(["09:00", "09:00"])).toBe(true);
    expect(crossesMidnight(["09:00", "18:00"])).toBe(false);
    expect(crossesMidnight(["20:00", "24:00"])).toBe(false);
    expect(crossesMidnight(["8pm", "2am"])).toBe(false);
    expect(
      overnightDays({
        mon: [["09:00", "17:00"]],
        fri: [
          ["09:00", "12:00"],
          ["22:00", "02:00"],
        ],
        sun: [["23:00", "01:00"]],
      }),
    ).toEqual(["sun", "fri"]);
    expect(overnightDays(null)).toEqual([]);
    // Whatever crossesMidnight says, withinHours agrees: open at 01:00 the next day only then.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), (a, b) => {
        const hm = (h: number) => `${String(h).padStart(2, "0")}:00`;
        const hours = { wed: [[hm(a), hm(b)]] } as const;
        const thursdayAt = (h: number) => new Date(Date.UTC(2026, 2, 5, h + 5)); // Thu in EST (UTC-5)
        const spills = b > 0 && withinHours(thursdayAt(0), tz, hours);
        return !spills || crossesMidnight([hm(a), hm(b)]);
      }),
    );
  });

  it("treats a malformed interval as closed and 24:00 as the end of day", () => {
    expect(withinHours(new Date("2026-03-04T15:00:00Z"), tz, { wed: [["8am", "6pm"]] })).toBe(false);
    expect(withinHours(new Date("2026-03-05T04:59:00Z"), tz, { wed: [["20:00", "24:00"]] })).toBe(true);
  });
});

describe("parseHm and duplicateLookbackStart", () => {
  it("parses HH:MM and refuses the rest", () => {
    expect(parseHm("08:30")).toBe(510);
    expect(parseHm("24:00")).toBe(1440);
    for (const bad of ["8:30", "24:01", "12:60", "25:00", "noon"]) expect(parseHm(bad)).toBeNull();
  });
  it("looks back whole 24-hour days", () => {
    expect(iso(duplicateLookbackStart(new Date("2026-03-10T00:00:00Z"), 7))).toBe("2026-03-03T00:00:00.000Z");
    expect(iso(duplicateLookbackStart(new Date("2026-03-10T00:00:00Z"), -1))).toBe("2026-03-10T00:00:00.000Z");
  });
});
