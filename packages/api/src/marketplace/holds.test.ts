// Dates held once accepted (issue 17, item 2), on real PostgreSQL with a ManualClock: accepting
// holds the date past the offer's window; a held or booked date keeps the DJ out of every other
// lead of that date (routing, getEligibleDJs, availableOn); the booking books one DJ and frees the
// others; closing a lead (any code, the trigger) frees its holds; the DJ cannot block a held date;
// the migration's backfill holds the dates of offers accepted before holds existed.
import { djAvailability, leadAssignments, listLeadHolds, marketLeads, migrationsFolder } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignFromConcierge } from "./admin";
import { setAvailability } from "./dj-profile";
import { batchCheckAvailability, getEligibleDJs } from "./eligibility";
import { releaseHoldsForLead } from "./holds";
import { handleLeadResponse, markLeadConverted } from "./responses";
import { routeLead, transitionToNextPhase } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 6 });
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;
const DATE = "2026-06-20";
const offeredTo = async (leadId: string) =>
  (await t.db.select().from(leadAssignments).where(eq(leadAssignments.leadId, leadId))).map((o) => o.djId);
const heldBy = async (leadId: string) => (await listLeadHolds(t.db, leadId)).map((h) => h.djId).sort();
const dateRow = async (djId: string) =>
  (
    await t.db
      .select()
      .from(djAvailability)
      .where(and(eq(djAvailability.djId, djId), eq(djAvailability.date, DATE)))
  )[0];

describe("dates held once accepted", () => {
  it("an accepted date stays held after the window and keeps the DJ out of another lead of that date", async () => {
    const s = marketServices(t.db);
    const city = "Holdville";
    const x = await makeDj(t.db, { city, name: "X", routingScore: 95 });
    const y = await makeDj(t.db, { city, name: "Y", routingScore: 80 });
    const a = await makeLead(t.db, { city, eventDate: DATE });
    await routeLead(s, a.id);
    expect(await offeredTo(a.id)).toEqual([x.id]);
    s.clock.advance(MIN);
    await handleLeadResponse(s, { djId: x.id, leadId: a.id, action: "accepted", quoteCents: 120_000 });
    expect(await heldBy(a.id)).toEqual([x.id]);
    // The offer's lock became the hold: no end time.
    expect(await dateRow(x.id)).toMatchObject({ heldByLeadId: a.id, lockedByLeadId: null, lockedUntil: null });

    // Hours later, long past every window of lead A, a second couple asks for the same date.
    s.clock.advance(6 * 60 * MIN);
    const b = await makeLead(t.db, { city, eventDate: DATE, createdAt: s.clock.now() });
    const filters = {
      city,
      eventDate: DATE,
      budgetMinCents: b.budgetMinCents,
      budgetMaxCents: b.budgetMaxCents,
      now: s.clock.now(),
    };
    expect((await getEligibleDJs(t.db, { ...filters, leadId: b.id })).map((d) => d.id)).toEqual([y.id]);
    // For lead A itself the hold does not block (it is A's).
    expect((await getEligibleDJs(t.db, { ...filters, leadId: a.id })).map((d) => d.id).sort()).toEqual(
      [x.id, y.id].sort(),
    );
    const free = await batchCheckAvailability(t.db, [x.id, y.id], DATE, s.clock.now(), b.id);
    expect(free.map((f) => [f.available, f.heldByLeadId])).toEqual([
      [false, a.id],
      [true, null],
    ]);
    await routeLead(s, b.id);
    expect(await offeredTo(b.id)).toEqual([y.id]);
    // Another date is not affected.
    const other = await makeLead(t.db, { city, eventDate: "2026-06-21", createdAt: s.clock.now() });
    expect(
      (await getEligibleDJs(t.db, { ...filters, eventDate: "2026-06-21", leadId: other.id })).map((d) => d.id),
    ).toContain(x.id);

    // The DJ cannot block or book the held date by hand (nothing written), but may mark it tentative.
    await expect(setAvailability(t.db, s.clock, { djId: x.id, date: DATE, status: "unavailable" })).rejects.toThrow(
      "This date is held for a couple you quoted",
    );
    await expect(setAvailability(t.db, s.clock, { djId: x.id, date: DATE, status: "booked" })).rejects.toThrow("held");
    expect(await dateRow(x.id)).toMatchObject({ status: "available", heldByLeadId: a.id });
    await setAvailability(t.db, s.clock, { djId: x.id, date: DATE, status: "tentative" });
    expect(await dateRow(x.id)).toMatchObject({ status: "tentative", heldByLeadId: a.id });

    // The couple books X: the date is booked, no longer held, and still keeps X out of lead C.
    await markLeadConverted(s, { leadId: a.id, djId: x.id, bookingValueCents: 120_000 });
    expect(await dateRow(x.id)).toMatchObject({ status: "booked", heldByLeadId: null });
    const c = await makeLead(t.db, { city, eventDate: DATE, createdAt: s.clock.now() });
    expect((await getEligibleDJs(t.db, { ...filters, leadId: c.id })).map((d) => d.id)).not.toContain(x.id);
  });

  it("every DJ who accepts holds the date; the booking books one and frees the others", async () => {
    const s = marketServices(t.db);
    const city = "Quoteville";
    const ranked = [];
    for (let i = 0; i < 5; i++) ranked.push(await makeDj(t.db, { city, name: `Q${i}`, routingScore: 90 - i }));
    const a = await makeLead(t.db, { city, eventDate: DATE });
    await routeLead(s, a.id);
    // The exclusive DJ lets the window pass; three DJs get the tier-expansion offer.
    s.clock.advance(16 * MIN);
    await transitionToNextPhase(s, { leadId: a.id, phase: "exclusive", seq: 1 });
    const [, q1, q2, q3] = ranked;
    await handleLeadResponse(s, { djId: q1!.id, leadId: a.id, action: "accepted", quoteCents: 110_000 });
    await handleLeadResponse(s, { djId: q2!.id, leadId: a.id, action: "accepted", quoteCents: 130_000 });
    await handleLeadResponse(s, { djId: q3!.id, leadId: a.id, action: "declined" });
    expect(await heldBy(a.id)).toEqual([q1!.id, q2!.id].sort());
    // The declining DJ's date is free again.
    expect(await dateRow(q3!.id)).toMatchObject({ lockedByLeadId: null, heldByLeadId: null });

    // The couple books Q2 (the couples' flow calls releaseHoldsForLead in its own transaction).
    const released = await t.db.transaction((tx) => releaseHoldsForLead(tx, a, q2!.id, s.clock.now()));
    expect(released).toEqual([q1!.id]);
    expect(await heldBy(a.id)).toEqual([]);
    expect(await dateRow(q1!.id)).toMatchObject({ status: "available", heldByLeadId: null });
    expect(await dateRow(q2!.id)).toMatchObject({ status: "booked", heldByLeadId: null });
    const b = await makeLead(t.db, { city, eventDate: DATE, createdAt: s.clock.now() });
    const ids = (
      await getEligibleDJs(t.db, {
        city,
        eventDate: DATE,
        budgetMinCents: null,
        budgetMaxCents: null,
        leadId: b.id,
        now: s.clock.now(),
      })
    ).map((d) => d.id);
    expect(ids).toContain(q1!.id);
    expect(ids).not.toContain(q2!.id);
  });

  it("a lead that closes, by whatever code, frees its holds (trigger)", async () => {
    const s = marketServices(t.db);
    const city = "Closeville";
    const x = await makeDj(t.db, { city, name: "CX", routingScore: 95 });
    const a = await makeLead(t.db, { city, eventDate: DATE });
    await routeLead(s, a.id);
    await handleLeadResponse(s, { djId: x.id, leadId: a.id, action: "accepted" });
    expect(await heldBy(a.id)).toEqual([x.id]);
    await t.db
      .update(marketLeads)
      .set({ leadState: "closed", closeReason: "customer_cancelled", closedAt: s.clock.now() })
      .where(eq(marketLeads.id, a.id));
    expect(await heldBy(a.id)).toEqual([]);
    expect(await dateRow(x.id)).toMatchObject({ status: "available", heldByLeadId: null });
  });

  it("a DJ cannot accept a lead for a date they marked unavailable since the offer, nor be assigned a held date", async () => {
    const s = marketServices(t.db);
    const city = "Blockville";
    const x = await makeDj(t.db, { city, name: "BX", routingScore: 95 });
    const a = await makeLead(t.db, { city, eventDate: DATE });
    await routeLead(s, a.id);
    await setAvailability(t.db, s.clock, { djId: x.id, date: DATE, status: "unavailable" });
    await expect(handleLeadResponse(s, { djId: x.id, leadId: a.id, action: "accepted" })).rejects.toThrow(
      "You can no longer accept",
    );
    // Rolled back whole: the offer is still open, the lead not accepted, no hold.
    const [offer] = await t.db.select().from(leadAssignments).where(eq(leadAssignments.leadId, a.id));
    expect(offer!.status).toBe("offered");
    expect(await heldBy(a.id)).toEqual([]);

    // Concierge: an admin cannot hand a lead to a DJ whose date another lead holds.
    const y = await makeDj(t.db, { city: "Conciergeville", name: "CY", routingScore: 95 });
    const held = await makeLead(t.db, { city: "Conciergeville", eventDate: DATE });
    await routeLead(s, held.id);
    await handleLeadResponse(s, { djId: y.id, leadId: held.id, action: "accepted" });
    const c = await makeLead(t.db, { city: "Conciergeville", eventDate: DATE });
    await t.db.update(marketLeads).set({ leadState: "concierge", phase: "concierge" }).where(eq(marketLeads.id, c.id));
    await expect(assignFromConcierge(s, { leadId: c.id, djId: y.id })).rejects.toThrow("holding the date");
    expect((await t.db.select().from(marketLeads).where(eq(marketLeads.id, c.id)))[0]!.leadState).toBe("concierge");
  });
});

describe("the migration's backfill", () => {
  it("holds the date of every accepted offer on an open lead; the earliest wins; booked dates stay booked", async () => {
    const file = readdirSync(migrationsFolder).find((f) => f.endsWith("_dj_holds.sql"))!;
    const backfill = readFileSync(join(migrationsFolder, file), "utf8")
      .split("--> statement-breakpoint")
      .find((st) => st.includes('INSERT INTO "dj_availability"'))!;
    const city = "Backfillton";
    const [p, q, r, w] = [
      await makeDj(t.db, { city }),
      await makeDj(t.db, { city }),
      await makeDj(t.db, { city }),
      await makeDj(t.db, { city }),
    ];
    const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 15, m));
    const lead = (eventDate: string, leadState: "accepted" | "converted") =>
      makeLead(t.db, { city, eventDate, leadState });
    const accepted = (leadId: string, djId: string, minute: number) =>
      t.db.insert(leadAssignments).values({
        leadId,
        djId,
        phase: "broadcast",
        phaseSeq: 1,
        status: "accepted",
        offeredAt: at(0),
        windowEndsAt: at(60),
        respondedAt: at(minute),
      });
    // P accepted two open leads of one date before holds existed (the bug): the earlier one wins.
    const l1 = await lead("2031-05-01", "accepted");
    const l2 = await lead("2031-05-01", "accepted");
    await accepted(l2.id, p.id, 20);
    await accepted(l1.id, p.id, 10);
    // Q's lead is booked already: nothing to hold.
    const l3 = await lead("2031-05-02", "converted");
    await accepted(l3.id, q.id, 10);
    // R's date is marked booked: left as it is.
    const l4 = await lead("2031-05-03", "accepted");
    await accepted(l4.id, r.id, 10);
    await t.db.insert(djAvailability).values({ djId: r.id, date: "2031-05-03", status: "booked" });
    // W never touched the date: a row is made, holding it.
    const l5 = await lead("2031-05-04", "accepted");
    await accepted(l5.id, w.id, 10);

    await t.db.execute(sql.raw(backfill));
    const rows = async (djId: string) =>
      (await t.db.select().from(djAvailability).where(eq(djAvailability.djId, djId))).map((x) => [
        x.date,
        x.status,
        x.heldByLeadId,
      ]);
    expect(await rows(p.id)).toEqual([["2031-05-01", "available", l1.id]]);
    expect(await rows(q.id)).toEqual([]);
    expect(await rows(r.id)).toEqual([["2031-05-03", "booked", null]]);
    expect(await rows(w.id)).toEqual([["2031-05-04", "available", l5.id]]);
  });
});
