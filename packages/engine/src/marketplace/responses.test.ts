import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import {
  canRespond,
  leadStateAfterResponse,
  NEW_DJ_METRICS,
  recordDJConversion,
  updateDJMetrics,
  type DJMetrics,
  type RespondableAssignment,
} from "./responses";
import { reputationTips } from "./reputation-tips";
import { T0 } from "./testing";
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from "./units";

const clock = new ManualClock(T0);
const now = new Date(T0);
const metrics = (over: Partial<DJMetrics> = {}): DJMetrics => ({ ...NEW_DJ_METRICS, ...over });

describe("updateDJMetrics: accept", () => {
  it("fast: reliability +2, penalty -2 (floored at 0 and restamped), speed and rates set", () => {
    const m = updateDJMetrics(metrics(), "accepted", 30 * MS_PER_MINUTE, clock);
    expect(m).toMatchObject({
      reliability: 72,
      penalty: 0,
      penaltyUpdatedAt: now,
      avgResponseTimeMs: 30 * MS_PER_MINUTE,
      acceptedCount: 1,
      acceptanceRate: 1,
      declineRate: 0,
      ignoreRate: 0,
      conversionRate: 0,
    });
  });
  it("at exactly one hour counts as slow: +1 and the penalty is left to decay", () => {
    const setAt = new Date(now.getTime() - MS_PER_DAY);
    const m = updateDJMetrics(metrics({ penalty: 10, penaltyUpdatedAt: setAt }), "accepted", MS_PER_HOUR, clock);
    expect(m).toMatchObject({ reliability: 71, penalty: 10, penaltyUpdatedAt: setAt });
  });
  it("folds the decayed penalty in before taking 2 off", () => {
    const setAt = new Date(now.getTime() - MS_PER_DAY);
    const m = updateDJMetrics(metrics({ penalty: 10, penaltyUpdatedAt: setAt }), "accepted", 1000, clock);
    expect(m.penalty).toBe(7);
    expect(m.penaltyUpdatedAt).toEqual(now);
  });
  it("caps reliability at 100", () => {
    expect(updateDJMetrics(metrics({ reliability: 99 }), "accepted", 0, clock).reliability).toBe(100);
  });
});

describe("updateDJMetrics: decline", () => {
  it("costs 1, or 2 when more than half of at least five offers were declined", () => {
    expect(updateDJMetrics(metrics({ acceptedCount: 2, declinedCount: 1 }), "declined", 0, clock).reliability).toBe(69);
    expect(updateDJMetrics(metrics({ acceptedCount: 2, declinedCount: 2 }), "declined", 0, clock).reliability).toBe(68);
    expect(updateDJMetrics(metrics({ acceptedCount: 3, declinedCount: 2 }), "declined", 0, clock).reliability).toBe(69);
    expect(updateDJMetrics(metrics({ declinedCount: 3 }), "declined", 0, clock).reliability).toBe(69);
  });
  it("updates the decline rate and the response average, not the penalty", () => {
    const m = updateDJMetrics(
      metrics({ acceptedCount: 1, avgResponseTimeMs: 10 * MS_PER_HOUR }),
      "declined",
      MS_PER_HOUR,
      clock,
    );
    expect(m.declineRate).toBe(0.5);
    expect(m.avgResponseTimeMs).toBe(26_280_000); // 0.7 x 10 h + 0.3 x 1 h = 7.3 h
    expect(m.penaltyUpdatedAt).toBeNull();
  });
});

describe("updateDJMetrics: ignore", () => {
  it("costs 3 the first time and up to 8 for a habit; penalty +5", () => {
    const once = updateDJMetrics(metrics(), "ignored", null, clock);
    expect(once).toMatchObject({ reliability: 67, penalty: 5, ignoredCount: 1, ignoreRate: 1, acceptanceRate: 0 });
    const twice = updateDJMetrics(once, "ignored", null, clock);
    expect(twice).toMatchObject({ reliability: 59, penalty: 10 });
    expect(updateDJMetrics(metrics({ acceptedCount: 9, ignoredCount: 1 }), "ignored", null, clock).reliability).toBe(
      66,
    );
    expect(updateDJMetrics(metrics({ acceptedCount: 3, ignoredCount: 1 }), "ignored", null, clock).reliability).toBe(
      66,
    );
  });
  it("caps the penalty at 20, floors reliability at 0 and leaves response speed alone", () => {
    const m = updateDJMetrics(
      metrics({ penalty: 18, penaltyUpdatedAt: now, reliability: 2, avgResponseTimeMs: 5 }),
      "ignored",
      null,
      clock,
    );
    expect(m).toMatchObject({ penalty: 20, reliability: 0, avgResponseTimeMs: 5 });
  });
});

describe("updateDJMetrics: input", () => {
  it("needs a response time for an answer and never mutates its input", () => {
    const before = metrics();
    expect(() => updateDJMetrics(before, "accepted", null, clock)).toThrow(/response time/);
    expect(() => updateDJMetrics(before, "declined", -1, clock)).toThrow(/response time/);
    updateDJMetrics(before, "accepted", 5, clock);
    expect(before).toEqual(NEW_DJ_METRICS);
  });
});

describe("recordDJConversion", () => {
  it("recomputes conversion over accepted leads", () => {
    expect(recordDJConversion(metrics({ acceptedCount: 4, convertedCount: 0 })).conversionRate).toBe(0.25);
    expect(recordDJConversion(metrics()).conversionRate).toBeNull();
  });
});

describe("canRespond", () => {
  const offer: RespondableAssignment = {
    djId: "dj-a",
    status: "offered",
    windowEndsAt: new Date(now.getTime() + 1),
    leadState: "exclusive",
  };
  const code = (a: RespondableAssignment | null, dj = "dj-a", c = clock) => {
    const r = canRespond(a, dj, c);
    return r.ok ? "ok" : r.code;
  };
  it("lets the offered DJ answer inside the window", () => expect(code(offer)).toBe("ok"));
  it("closes the window at its end instant", () => {
    expect(code({ ...offer, windowEndsAt: now })).toBe("WINDOW_CLOSED");
    expect(code({ ...offer, status: "ignored" })).toBe("WINDOW_CLOSED");
  });
  it("refuses other DJs and missing offers", () => {
    expect(code(offer, "dj-b")).toBe("NOT_OFFERED");
    expect(code(null)).toBe("NOT_OFFERED");
  });
  it("refuses a second answer and closed leads, with a message a DJ can read", () => {
    expect(code({ ...offer, status: "declined" })).toBe("ALREADY_RESPONDED");
    expect(code({ ...offer, status: "withdrawn" })).toBe("LEAD_CLOSED");
    expect(code({ ...offer, leadState: "closed" })).toBe("LEAD_CLOSED");
    expect(canRespond({ ...offer, leadState: "converted" }, "dj-a", clock)).toEqual({
      ok: false,
      code: "LEAD_CLOSED",
      message: "This lead is no longer open.",
    });
  });
  it("keeps open offers answerable after another DJ accepted", () => {
    expect(code({ ...offer, leadState: "accepted" })).toBe("ok");
  });
});

describe("leadStateAfterResponse", () => {
  it("the first acceptance ends routing; declines and closed leads stay put", () => {
    expect(leadStateAfterResponse("tier_expansion", "accepted")).toBe("accepted");
    expect(leadStateAfterResponse("accepted", "accepted")).toBe("accepted");
    expect(leadStateAfterResponse("broadcast", "declined")).toBe("broadcast");
    expect(leadStateAfterResponse("closed", "accepted")).toBe("closed");
  });
});

describe("reputationTips", () => {
  it("tells a DJ who ignores offers to answer them, without numbers", () => {
    const tips = reputationTips(metrics({ ignoredCount: 2, reliability: 55, avgResponseTimeMs: 3 * MS_PER_HOUR }));
    expect(tips.map((t) => t.id)).toEqual([
      "answer_every_offer",
      "respond_fast",
      "recovering",
      "accurate_calendar",
      "pricing",
    ]);
  });
  it("praises a DJ who is doing well", () => {
    const tips = reputationTips(
      metrics({ avgResponseTimeMs: 10 * MS_PER_MINUTE, acceptedCount: 5, conversionRate: 0.4 }),
    );
    expect(tips[0]?.id).toBe("keep_it_up");
  });
  it("suggests calendar upkeep to frequent decliners and follow-up to low converters", () => {
    const ids = reputationTips(metrics({ declineRate: 0.5, acceptedCount: 4, conversionRate: 0 })).map((t) => t.id);
    expect(ids).toContain("calendar");
    expect(ids).toContain("follow_up");
  });
});
