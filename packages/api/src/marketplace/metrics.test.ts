// The response-metric arithmetic as persisted: the same sequence of answers through the
// services leaves the DJ row where the engine's updateDJMetrics says it should be.
import { djs } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { handleLeadResponse, markLeadConverted } from "./responses";
import { routeLead, transitionToNextPhase } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;

it("persists reliability, penalty, the 70/30 response average, rates and conversion", async () => {
  const s = marketServices(t.db);
  const dj = await makeDj(t.db, { city: "Metricton" });
  const row = async () => (await t.db.select().from(djs).where(eq(djs.id, dj.id)))[0]!;
  const offer = async (date: string) => {
    const lead = await makeLead(t.db, { city: "Metricton", eventDate: date });
    await routeLead(s, lead.id);
    return lead.id;
  };

  // 1) Ignored: −3 reliability, +5 penalty, average untouched.
  const l1 = await offer("2026-06-01");
  s.clock.advance(15 * MIN);
  await transitionToNextPhase(s, { leadId: l1, phase: "exclusive", seq: 1 });
  expect(await row()).toMatchObject({
    reliability: 67,
    penalty: 5,
    ignoredCount: 1,
    avgResponseTimeMs: null,
    ignoreRate: 1,
  });

  // 2) Accepted after 10 min (fast): +2, the penalty decays for 10 min, then −2, average = 600 000.
  const l2 = await offer("2026-06-02");
  s.clock.advance(10 * MIN);
  await handleLeadResponse(s, { djId: dj.id, leadId: l2, action: "accepted", quoteCents: 100_000 });
  let r = await row();
  const decayed = 5 * Math.pow(0.9, (10 * MIN) / 86_400_000);
  expect(r.reliability).toBe(69);
  expect(r.penalty).toBeCloseTo(Math.round((decayed - 2) * 100) / 100, 2);
  expect(r).toMatchObject({ avgResponseTimeMs: 600_000, acceptedCount: 1, acceptanceRate: 0.5, ignoreRate: 0.5 });

  // 3) Declined after 5 min: −1, average = 0.7 × 600 000 + 0.3 × 300 000 = 510 000.
  const l3 = await offer("2026-06-03");
  s.clock.advance(5 * MIN);
  await handleLeadResponse(s, { djId: dj.id, leadId: l3, action: "declined" });
  r = await row();
  expect(r).toMatchObject({ reliability: 68, avgResponseTimeMs: 510_000, declinedCount: 1, declineRate: 0.3333 });

  // 4) The accepted lead converts: conversion 1 of 1.
  await markLeadConverted(s, { leadId: l2, djId: dj.id, bookingValueCents: 120_000 });
  r = await row();
  expect(r).toMatchObject({ convertedCount: 1, conversionRate: 1 });
  await expect(markLeadConverted(s, { leadId: l2, djId: dj.id, bookingValueCents: 1 })).rejects.toThrow(
    "Only an accepted lead",
  );
  expect(r.routingComponents).toMatchObject({ tier: 20, responseSpeed: 20, conversion: 20 });
});
