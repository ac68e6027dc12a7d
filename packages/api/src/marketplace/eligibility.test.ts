import { djAvailability } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { checkDJEligibility, ManualClock } from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batchCheckAvailability,
  checkDJAvailability,
  getEligibleDJs,
  lockDJAvailability,
  releaseDJAvailability,
} from "./eligibility";
import { makeDj } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 60 });
});
afterAll(async () => {
  await t?.drop();
});

const clock = new ManualClock("2026-03-02T15:00:00Z");
const now = clock.now();
const DATE = "2026-06-20";
const lead = { id: randomUUID(), budgetMinCents: 100_000, budgetMaxCents: 150_000 };

describe("getEligibleDJs", () => {
  it("applies every hard filter in SQL, in routing order, as the engine's reference does", async () => {
    const city = "Filterton";
    const base = { city, priceMinCents: 90_000, priceMaxCents: 160_000 };
    const good1 = await makeDj(t.db, { ...base, routingScore: 80 });
    const good2 = await makeDj(t.db, { ...base, routingScore: 60 });
    const tentative = await makeDj(t.db, { ...base, routingScore: 55 });
    const expiredLock = await makeDj(t.db, { ...base, routingScore: 54 });
    const ownLock = await makeDj(t.db, { ...base, routingScore: 53 });
    const cooldownOver = await makeDj(t.db, { ...base, routingScore: 52, cooldownUntil: now });
    const bad = [
      await makeDj(t.db, { ...base, routingScore: 99, isActive: false }),
      await makeDj(t.db, { ...base, routingScore: 98, isSuspended: true }),
      await makeDj(t.db, { ...base, routingScore: 97, reliability: 49 }),
      await makeDj(t.db, { ...base, routingScore: 96, cooldownUntil: new Date(now.getTime() + 1) }),
      await makeDj(t.db, { ...base, routingScore: 95, priceMinCents: 150_001, priceMaxCents: 300_000 }),
      await makeDj(t.db, { ...base, routingScore: 94, priceMinCents: 10_000, priceMaxCents: 99_999 }),
      await makeDj(t.db, { ...base, routingScore: 93 }),
      await makeDj(t.db, { ...base, routingScore: 92 }),
      await makeDj(t.db, { ...base, routingScore: 91, city: "Elsewhere" }),
    ];
    const [, , , , , , booked, lockedByOther] = bad;
    await t.db.insert(djAvailability).values([
      { djId: tentative.id, date: DATE, status: "tentative" },
      { djId: booked!.id, date: DATE, status: "booked" },
      {
        djId: lockedByOther!.id,
        date: DATE,
        status: "available",
        lockedByLeadId: randomUUID(),
        lockedUntil: new Date(now.getTime() + 60_000),
      },
      { djId: expiredLock.id, date: DATE, status: "available", lockedByLeadId: randomUUID(), lockedUntil: now },
      {
        djId: ownLock.id,
        date: DATE,
        status: "available",
        lockedByLeadId: lead.id,
        lockedUntil: new Date(now.getTime() + 60_000),
      },
    ]);
    const got = await getEligibleDJs(t.db, {
      city,
      eventDate: DATE,
      budgetMinCents: lead.budgetMinCents,
      budgetMaxCents: lead.budgetMaxCents,
      leadId: lead.id,
      now,
    });
    expect(got.map((g) => g.id)).toEqual([
      good1.id,
      good2.id,
      tentative.id,
      expiredLock.id,
      ownLock.id,
      cooldownOver.id,
    ]);

    // The engine's checkDJEligibility agrees on every DJ of the city.
    const rows = await t.db.select().from(djAvailability);
    for (const dj of [good1, good2, tentative, expiredLock, ownLock, cooldownOver, ...bad.slice(0, 8)]) {
      const a = rows.find((r) => r.djId === dj!.id && r.date === DATE) ?? null;
      const ref = checkDJEligibility(dj!, lead, a, clock).eligible;
      expect(ref, dj!.name).toBe(got.some((g) => g.id === dj!.id));
    }
  });

  it("treats a missing budget bound as open", async () => {
    const city = "Openbudget";
    const pricey = await makeDj(t.db, { city, priceMinCents: 500_000, priceMaxCents: 900_000 });
    const got = await getEligibleDJs(t.db, {
      city,
      eventDate: DATE,
      budgetMinCents: null,
      budgetMaxCents: null,
      leadId: null,
      now,
    });
    expect(got.map((g) => g.id)).toEqual([pricey.id]);
  });
});

describe("availability locks", () => {
  it("gives exactly one of 50 concurrent lockers on separate connections the date", async () => {
    const dj = await makeDj(t.db, { city: "Racetown" });
    const leads = Array.from({ length: 50 }, () => randomUUID());
    const until = new Date(now.getTime() + 15 * 60_000);
    const results = await Promise.all(leads.map((l) => lockDJAvailability(t.db, dj.id, DATE, l, until, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = leads[results.indexOf(true)]!;
    const check = await checkDJAvailability(t.db, dj.id, DATE, now);
    expect(check).toMatchObject({ available: false, lockedByLeadId: winner });
    // The holder sees the date as still its own; the lock expires at locked_until.
    expect((await checkDJAvailability(t.db, dj.id, DATE, now, winner)).available).toBe(true);
    expect((await checkDJAvailability(t.db, dj.id, DATE, until)).available).toBe(true);
    expect(await lockDJAvailability(t.db, dj.id, DATE, leads[0] === winner ? leads[1]! : leads[0]!, until, until)).toBe(
      true,
    );
  });

  it("is released only by the lead holding it, and never on a blocked date", async () => {
    const dj = await makeDj(t.db, { city: "Racetown" });
    const [a, b] = [randomUUID(), randomUUID()];
    const until = new Date(now.getTime() + 60_000);
    expect(await lockDJAvailability(t.db, dj.id, DATE, a, until, now)).toBe(true);
    expect(await releaseDJAvailability(t.db, dj.id, DATE, b)).toBe(false);
    expect(await lockDJAvailability(t.db, dj.id, DATE, b, until, now)).toBe(false);
    expect(await releaseDJAvailability(t.db, dj.id, DATE, a)).toBe(true);
    expect(await lockDJAvailability(t.db, dj.id, DATE, b, until, now)).toBe(true);
    await t.db.insert(djAvailability).values({ djId: dj.id, date: "2026-07-04", status: "unavailable" });
    expect(await lockDJAvailability(t.db, dj.id, "2026-07-04", a, until, now)).toBe(false);
    const batch = await batchCheckAvailability(t.db, [dj.id], "2026-07-04", now);
    expect(batch[0]).toMatchObject({ available: false, status: "unavailable" });
  });
});
