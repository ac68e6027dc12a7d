// Numbers that agree (issue 17, item 5): after random marketplace activity (leads over 45 days in
// three cities, routed or not, accepted, booked, calculator views and inquiries counted by day,
// DJs paused), the admin's success metrics (marketAdmin.metrics) and the analytics page's
// marketplace chart (analytics.marketplace) for the same 30 days show the same figures, and both
// equal a count made here straight from the rows. And the city statistics follow each inquiry.
import { cityEventStats, djs, marketFunnelCounters, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { callerAs, makeOrgUser, sqlPropertyRuns, testServices } from "../testing";
import { routeLead } from "./routing";
import { makeDj, makeLead } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
});
afterAll(async () => {
  await t?.drop();
});

const NOW = new Date("2026-03-02T15:00:00Z");
const DAY = 86_400_000;
const CITIES = ["Agreeton", "Samesville", "Matchburg"] as const;

const leadArb = fc.record({
  city: fc.constantFrom(...CITIES),
  // Days back from now, across the 30-day window's edges.
  ageMs: fc.oneof(fc.integer({ min: 0, max: 45 * DAY }), fc.constantFrom(29 * DAY, 30 * DAY - 1, 30 * DAY, 31 * DAY)),
  routed: fc.boolean(),
  accepted: fc.boolean(),
  converted: fc.boolean(),
  responseMs: fc.integer({ min: 0, max: 10 * 3_600_000 }),
  fromCalculator: fc.boolean(),
});
const activityArb = fc.record({
  leads: fc.array(leadArb, { maxLength: 25 }),
  counters: fc.array(
    fc.record({
      daysBack: fc.integer({ min: 0, max: 40 }),
      city: fc.constantFrom(...CITIES),
      metric: fc.constantFrom("calculator_view", "inquiry", "inquiry_from_calculator"),
      count: fc.integer({ min: 1, max: 50 }),
    }),
    { maxLength: 20 },
  ),
  djs: fc.array(fc.record({ city: fc.constantFrom(...CITIES), active: fc.boolean() }), { maxLength: 8 }),
});

it("the admin's metrics and the analytics chart agree on random activity, and with the rows", async () => {
  const s = testServices(t.db);
  s.clock = { now: () => NOW };
  const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
  await fc.assert(
    fc.asyncProperty(activityArb, async (a) => {
      await t.db.delete(marketLeads);
      await t.db.delete(djs);
      await t.db.delete(marketFunnelCounters);
      for (const d of a.djs) await makeDj(t.db, { city: d.city, isActive: d.active });
      for (const l of a.leads) {
        const createdAt = new Date(NOW.getTime() - l.ageMs);
        const accepted = l.routed && l.accepted;
        const converted = accepted && l.converted;
        await makeLead(t.db, {
          city: l.city,
          createdAt,
          fromCalculator: l.fromCalculator,
          phaseSeq: l.routed ? 1 : 0,
          leadState: converted ? "converted" : accepted ? "accepted" : l.routed ? "broadcast" : "pending",
          acceptedAt: accepted ? new Date(createdAt.getTime() + l.responseMs) : null,
          firstResponseAt: accepted ? new Date(createdAt.getTime() + l.responseMs) : null,
          convertedAt: converted ? new Date(createdAt.getTime() + l.responseMs + 1) : null,
        });
      }
      for (const c of a.counters) {
        const day = new Date(NOW.getTime() - c.daysBack * DAY).toISOString().slice(0, 10);
        await t.db
          .insert(marketFunnelCounters)
          .values({ day, city: c.city, metric: c.metric, count: c.count })
          .onConflictDoUpdate({
            target: [marketFunnelCounters.day, marketFunnelCounters.city, marketFunnelCounters.metric],
            set: { count: c.count },
          });
      }

      const m = await admin.marketAdmin.metrics();
      const chart = await admin.analytics.marketplace({});
      const ctx = JSON.stringify(a);
      const byKey = Object.fromEntries(chart.metrics.map((x) => [x.key, x.value]));
      expect(byKey.acceptanceRate, ctx).toBe(m.acceptanceRate.value);
      expect(byKey.firstResponseMs, ctx).toBe(m.firstResponseMs.value);
      expect(byKey.conversionRate, ctx).toBe(m.conversionRate.value);
      expect(byKey.leadsPerDj30d, ctx).toBe(m.supplyDemand.value);
      expect(byKey.calculatorToInquiry, ctx).toBe(m.calculatorToInquiry.value);
      const step = (name: string) => chart.funnel.find((f) => f.step === name)!.count;
      expect(step("Calculator views"), ctx).toBe(m.calculatorToInquiry.views);
      expect(step("Inquiries"), ctx).toBe(m.calculatorToInquiry.inquiries);
      expect(step("Inquiries from the calculator"), ctx).toBe(m.calculatorToInquiry.fromCalculator);
      expect(
        chart.byCity.map((c) => [c.city, c.leads, c.djs]),
        ctx,
      ).toEqual(m.cities.map((c) => [c.city, c.leads30d, c.djCount]));

      // Both equal the rows, counted here: 30 UTC days, today included.
      const from = new Date(NOW.toISOString().slice(0, 10)).getTime() - 29 * DAY;
      const inWindow = a.leads.filter((l) => NOW.getTime() - l.ageMs >= from);
      const routed = inWindow.filter((l) => l.routed);
      const accepted = routed.filter((l) => l.accepted);
      expect(m.counts, ctx).toMatchObject({
        total: inWindow.length,
        routed: routed.length,
        accepted: accepted.length,
        converted: accepted.filter((l) => l.converted).length,
      });
      // A (day, city, metric) given twice keeps its last count (the upsert above).
      const counters = new Map(a.counters.map((c) => [`${c.daysBack}|${c.city}|${c.metric}`, c]));
      const views = [...counters.values()]
        .filter((c) => c.metric === "calculator_view" && c.daysBack <= 29)
        .reduce((n, c) => n + c.count, 0);
      expect(m.calculatorToInquiry.views, ctx).toBe(views);
    }),
    { numRuns: sqlPropertyRuns(40) },
  );
}, 600_000);

it("the city statistics count each inquiry as it is routed, not the next night", async () => {
  const s = testServices(t.db);
  s.clock = { now: () => NOW };
  const city = "Liveton";
  await makeDj(t.db, { city });
  await makeDj(t.db, { city });
  const row = async (eventType: string) =>
    (
      await t.db
        .select()
        .from(cityEventStats)
        .where(and(eq(cityEventStats.city, city), eq(cityEventStats.eventType, eventType)))
    )[0];
  expect(await row("")).toBeUndefined();
  const first = await makeLead(t.db, { city, createdAt: NOW });
  await routeLead(s, first.id);
  expect(await row("")).toMatchObject({ leadCount30d: 1, activeDjCount: 2 });
  expect(await row("wedding")).toMatchObject({ leadCount30d: 1 });
  const second = await makeLead(t.db, { city, createdAt: NOW, eventDate: "2026-07-04" });
  await routeLead(s, second.id);
  expect(await row("")).toMatchObject({ leadCount30d: 2, activeDjCount: 2, demandSupplyRatio: 1 });
});
