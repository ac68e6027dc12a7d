import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { checkPhaseTimer, isPhaseExhausted, planNextPhase, type LeadRoutingSnapshot } from "./phases";
import { DEFAULT_ROUTING_CONFIG, validateRoutingConfig } from "./routing-config";
import { T0 } from "./testing";
import { MS_PER_MINUTE } from "./units";

const clock = new ManualClock(T0);
const now = new Date(T0).getTime();
const cfg = DEFAULT_ROUTING_CONFIG;
const ranked = Array.from({ length: 20 }, (_, i) => `dj-${String(i).padStart(2, "0")}`);

describe("validateRoutingConfig", () => {
  it("fills defaults and accepts a partial override", () => {
    expect(validateRoutingConfig(undefined)).toEqual({ ok: true, config: cfg });
    expect(validateRoutingConfig({ exclusiveWindowMinutes: 5 })).toEqual({
      ok: true,
      config: { ...cfg, exclusiveWindowMinutes: 5 },
    });
  });
  it("reports every bad field", () => {
    const result = validateRoutingConfig({ exclusiveWindowMinutes: 0, maxBroadcastDJs: 2.5, maxBroadcastDj: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.field).sort()).toEqual([
        "exclusiveWindowMinutes",
        "maxBroadcastDJs",
        "maxBroadcastDj",
      ]);
    expect(validateRoutingConfig("15").ok).toBe(false);
  });
});

describe("planNextPhase", () => {
  it("offers the top DJ exclusively for 15 minutes", () => {
    expect(planNextPhase({ phase: null }, ranked, [], cfg, clock)).toEqual({
      phase: "exclusive",
      offerTo: ["dj-00"],
      windowEndsAt: new Date(now + 15 * MS_PER_MINUTE),
      skipped: [],
    });
  });

  it("then the next three not yet offered for 30 minutes, then up to ten", () => {
    const tier = planNextPhase({ phase: "exclusive" }, ranked, ["dj-00"], cfg, clock);
    expect(tier).toMatchObject({ phase: "tier_expansion", offerTo: ["dj-01", "dj-02", "dj-03"] });
    expect(tier.phase !== "concierge" && tier.windowEndsAt.getTime()).toBe(now + 30 * MS_PER_MINUTE);
    const offered = ["dj-00", "dj-01", "dj-02", "dj-03"];
    const broadcast = planNextPhase({ phase: "tier_expansion" }, ranked, offered, cfg, clock);
    expect(broadcast).toMatchObject({ phase: "broadcast", offerTo: ranked.slice(4, 14) });
    expect(broadcast.phase !== "concierge" && broadcast.windowEndsAt.getTime()).toBe(now + 120 * MS_PER_MINUTE);
  });

  it("skips DJs already offered even when the ranking has changed", () => {
    const reordered = ["dj-05", "dj-00", "dj-01", "dj-07"];
    expect(planNextPhase({ phase: "exclusive" }, reordered, ["dj-00", "dj-07"], cfg, clock)).toMatchObject({
      phase: "tier_expansion",
      offerTo: ["dj-05", "dj-01"],
    });
  });

  it("falls through phases with nobody left, recording them as skipped", () => {
    expect(planNextPhase({ phase: "exclusive" }, ["dj-00"], ["dj-00"], cfg, clock)).toEqual({
      phase: "concierge",
      reason: "nobody_accepted",
      skipped: ["tier_expansion", "broadcast"],
    });
  });

  it("goes to concierge at once when nobody is eligible", () => {
    expect(planNextPhase({ phase: null }, [], [], cfg, clock)).toEqual({
      phase: "concierge",
      reason: "no_eligible_djs",
      skipped: ["exclusive", "tier_expansion", "broadcast"],
    });
  });

  it("ends after broadcast and refuses to plan past concierge", () => {
    expect(planNextPhase({ phase: "broadcast" }, ranked, ["dj-00"], cfg, clock)).toMatchObject({
      phase: "concierge",
      reason: "nobody_accepted",
    });
    expect(() => planNextPhase({ phase: "concierge" }, ranked, [], cfg, clock)).toThrow(/concierge/);
  });

  it("never offers one DJ twice, even from a ranking with duplicates", () => {
    const plan = planNextPhase({ phase: "exclusive" }, ["a", "a", "b", "b", "c", "d"], [], cfg, clock);
    expect(plan).toMatchObject({ offerTo: ["a", "b", "c"] });
  });

  it("respects configured sizes", () => {
    const wide = { ...cfg, maxExclusiveDJs: 2 };
    expect(planNextPhase({ phase: null }, ranked, [], wide, clock)).toMatchObject({ offerTo: ["dj-00", "dj-01"] });
  });
});

describe("checkPhaseTimer", () => {
  const ends = new Date(now);
  const lead = (over: Partial<LeadRoutingSnapshot> = {}): LeadRoutingSnapshot => ({
    state: "exclusive",
    phaseSeq: 1,
    phaseEndsAt: ends,
    ...over,
  });
  const timer = { phase: "exclusive", seq: 1 } as const;

  it("advances when the window has ended", () => {
    expect(checkPhaseTimer(lead(), timer, clock)).toEqual({ action: "advance" });
  });
  it("reschedules a timer that fired early", () => {
    expect(checkPhaseTimer(lead(), timer, new ManualClock(now - 1))).toEqual({ action: "reschedule", dueAt: ends });
  });
  it("ignores a repeated timer once the lead moved on, however late", () => {
    const moved = lead({ state: "tier_expansion", phaseSeq: 2 });
    expect(checkPhaseTimer(moved, timer, new ManualClock(now + 86_400_000))).toEqual({
      action: "ignore",
      reason: "superseded",
    });
  });
  it("ignores a timer whose phase does not match the lead", () => {
    expect(checkPhaseTimer(lead({ state: "broadcast" }), timer, clock)).toEqual({
      action: "ignore",
      reason: "superseded",
    });
  });
  it("only expires offers when the lead was accepted in this phase", () => {
    expect(checkPhaseTimer(lead({ state: "accepted" }), timer, clock)).toEqual({ action: "expire_offers" });
    expect(checkPhaseTimer(lead({ state: "accepted", phaseSeq: 2 }), timer, clock)).toMatchObject({ action: "ignore" });
  });
  it("ignores closed, converted and concierge leads", () => {
    expect(checkPhaseTimer(lead({ state: "closed" }), timer, clock)).toEqual({
      action: "ignore",
      reason: "lead_closed",
    });
    expect(checkPhaseTimer(lead({ state: "converted" }), timer, clock)).toEqual({
      action: "ignore",
      reason: "lead_closed",
    });
    expect(checkPhaseTimer(lead({ state: "concierge" }), timer, clock)).toEqual({
      action: "ignore",
      reason: "in_concierge",
    });
  });
});

describe("isPhaseExhausted", () => {
  it("is true only when every offer was answered and none accepted", () => {
    expect(isPhaseExhausted([{ status: "declined" }])).toBe(true);
    expect(isPhaseExhausted([{ status: "declined" }, { status: "offered" }])).toBe(false);
    expect(isPhaseExhausted([{ status: "declined" }, { status: "accepted" }])).toBe(false);
    expect(isPhaseExhausted([])).toBe(false);
  });
});
