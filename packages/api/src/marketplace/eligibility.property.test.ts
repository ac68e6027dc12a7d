// DJ eligibility lives once, in the engine (checkDJEligibility, ranked by compareRankedDJs); the SQL
// filter getEligibleDJs (and its batch form for the phase timer sweeper, selectEligibleDJsForLeads,
// built from the same conditions) and the availability check (batchCheckAvailability's
// availableOn) are copies of it. Each generated case (a city of DJs with flags, prices, reliability, cooldowns and
// a row for the event date, locked or not, by this lead or another, around the instant `now`, and
// held or not for this lead or another since the DJ accepted it: issue 17) goes to both, which must agree on who is eligible, in what order, and whose date is free.
import { djAvailability, selectEligibleDJsForLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { AVAILABILITY_STATUSES, checkDJEligibility, compareRankedDJs, ManualClock } from "@leadflow/engine";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlPropertyRuns } from "../testing";
import { batchCheckAvailability, getEligibleDJs } from "./eligibility";
import { makeDj, makeLead } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
});
afterAll(async () => {
  await t?.drop();
});

const NOW = new Date("2026-03-02T15:00:00Z");
const DATE = "2026-06-20";
// Instants at and around `now`, where a lock or cooldown ends.
const near = fc.constantFrom(-60_000, -1, 0, 1, 60_000).map((d) => new Date(NOW.getTime() + d));
const cents = fc.oneof(
  fc.constantFrom(99_999, 100_000, 100_001, 149_999, 150_000, 150_001),
  fc.integer({ min: 0, max: 300_000 }),
);

const djArb = fc.record({
  isActive: fc.boolean(),
  isSuspended: fc.boolean(),
  cooldownUntil: fc.option(near),
  reliability: fc.oneof(fc.constantFrom(49, 50, 51), fc.integer({ min: 0, max: 100 })),
  prices: fc.tuple(cents, cents).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
  // Few distinct scores, so ties fall to the id.
  routingScore: fc.constantFrom(0, 42.5, 60, 60.1, 99.9),
  availability: fc.option(
    fc.record({
      status: fc.constantFrom(...AVAILABILITY_STATUSES),
      holder: fc.constantFrom("none", "this", "other"),
      lockedUntil: fc.option(near),
      // A held date is always an offerable one (the table's CHECK); on others the hold is dropped.
      held: fc.constantFrom("none", "this", "other"),
    }),
  ),
});

const caseArb = fc.record({
  budgetMin: fc.option(cents),
  budgetMax: fc.option(cents),
  // null: a check for no lead in particular (an admin's view), which no lock is held by.
  asLead: fc.boolean(),
  djs: fc.array(djArb, { minLength: 1, maxLength: 6 }),
});

let n = 0;

describe("DJ eligibility: getEligibleDJs and availableOn against the engine", () => {
  it("agree on every generated case", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const city = `Propcity ${++n}`;
        // Real leads: a hold references its lead.
        const leadId = (await makeLead(t.db, { city })).id;
        const otherLeadId = (await makeLead(t.db, { city })).id;
        const made = [];
        for (const d of c.djs) {
          const dj = await makeDj(t.db, {
            city,
            isActive: d.isActive,
            isSuspended: d.isSuspended,
            cooldownUntil: d.cooldownUntil,
            reliability: d.reliability,
            priceMinCents: d.prices[0],
            priceMaxCents: d.prices[1],
            routingScore: d.routingScore,
          });
          const a = d.availability;
          const row = a
            ? {
                status: a.status,
                lockedByLeadId: a.holder === "this" ? leadId : a.holder === "other" ? randomUUID() : null,
                lockedUntil: a.lockedUntil,
                heldByLeadId:
                  a.held === "none" || (a.status !== "available" && a.status !== "tentative")
                    ? null
                    : a.held === "this"
                      ? leadId
                      : otherLeadId,
              }
            : null;
          if (row) await t.db.insert(djAvailability).values({ djId: dj.id, date: DATE, ...row });
          made.push({ dj, row });
        }
        const lead = { id: c.asLead ? leadId : randomUUID(), budgetMinCents: c.budgetMin, budgetMaxCents: c.budgetMax };
        const clock = new ManualClock(NOW.toISOString());
        const verdicts = made.map((m) => ({ ...m, v: checkDJEligibility(m.dj, lead, m.row, clock) }));
        const expected = verdicts
          .filter((x) => x.v.eligible)
          .map((x) => ({ djId: x.dj.id, score: { total: x.dj.routingScore } }))
          .sort(compareRankedDJs)
          .map((x) => ({ id: x.djId, routingScore: x.score.total }));
        const ctx = JSON.stringify({ case: c, now: NOW });

        const got = await getEligibleDJs(t.db, {
          city,
          eventDate: DATE,
          budgetMinCents: c.budgetMin,
          budgetMaxCents: c.budgetMax,
          leadId: c.asLead ? leadId : null,
          now: NOW,
        });
        expect(got, ctx).toEqual(expected);
        // The sweeper's batch form, this lead beside another of another city (nobody eligible there).
        const asLeadId = c.asLead ? leadId : randomUUID();
        const batch = await selectEligibleDJsForLeads(
          t.db,
          [
            {
              leadId: otherLeadId,
              city: `${city} elsewhere`,
              eventDate: DATE,
              budgetMinCents: null,
              budgetMaxCents: null,
              limit: 50,
            },
            {
              leadId: asLeadId,
              city,
              eventDate: DATE,
              budgetMinCents: c.budgetMin,
              budgetMaxCents: c.budgetMax,
              limit: 50,
            },
          ],
          NOW,
        );
        expect(batch.get(asLeadId), ctx).toEqual(expected);
        expect(batch.get(otherLeadId), ctx).toEqual([]);

        const free = await batchCheckAvailability(
          t.db,
          made.map((m) => m.dj.id),
          DATE,
          NOW,
          c.asLead ? leadId : null,
        );
        const dateRules = new Set(["availability", "availability_lock", "date_held"]);
        expect(
          free.map((f) => f.available),
          ctx,
        ).toEqual(verdicts.map((x) => !x.v.failures.some((f) => dateRules.has(f.rule))));
      }),
      { numRuns: sqlPropertyRuns() },
    );
  }, 600_000);
});
