// Phase transitions driven by a ManualClock: the timer payloads are handed to
// transitionToNextPhase directly, including early, stale, repeated and racing ones.
import { djs, leadAssignments, marketLeadEvents, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleLeadResponse } from "./responses";
import { routeLead, transitionToNextPhase } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 10 });
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;
const leadRow = async (id: string) => (await t.db.select().from(marketLeads).where(eq(marketLeads.id, id)))[0]!;
const offers = (id: string) => t.db.select().from(leadAssignments).where(eq(leadAssignments.leadId, id));

describe("routeLead and transitionToNextPhase", () => {
  it("walks exclusive → tier expansion → broadcast, once per timer, and ends on acceptance", async () => {
    const s = marketServices(t.db);
    const city = "Phaseville";
    const ranked = [];
    for (let i = 0; i < 8; i++) ranked.push(await makeDj(t.db, { city, name: `P${i}`, routingScore: 90 - i }));
    const lead = await makeLead(t.db, { city });
    const first = await routeLead(s, lead.id);
    expect(first?.timer).toEqual({ leadId: lead.id, phase: "exclusive", seq: 1 });
    let row = await leadRow(lead.id);
    expect(row).toMatchObject({ leadState: "exclusive", phaseSeq: 1 });
    expect(row.scoreTotal).toBeGreaterThan(0);
    expect(Object.keys(row.scoreComponents!).sort()).toEqual([
      "budget",
      "completeness",
      "demand",
      "eventType",
      "urgency",
    ]);
    expect((await offers(lead.id)).map((o) => o.djId)).toEqual([ranked[0]!.id]);

    // Only the exclusive DJ may answer inside the exclusive window, refused by the UPDATE itself.
    await expect(handleLeadResponse(s, { djId: ranked[1]!.id, leadId: lead.id, action: "accepted" })).rejects.toThrow(
      "This lead was not offered to you.",
    );

    // Early timer: comes back later, changes nothing.
    s.clock.advance(5 * MIN);
    expect(await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 })).toMatchObject({
      action: "reschedule",
    });
    expect((await leadRow(lead.id)).phaseSeq).toBe(1);

    s.clock.advance(10 * MIN);
    // The exclusive DJ is too late by the window's end: the window is [offered, ends).
    await expect(handleLeadResponse(s, { djId: ranked[0]!.id, leadId: lead.id, action: "accepted" })).rejects.toThrow(
      "The time to answer this lead has passed.",
    );
    const moved = await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 });
    expect(moved.action).toBe("advance");
    row = await leadRow(lead.id);
    expect(row).toMatchObject({ leadState: "tier_expansion", phaseSeq: 2 });
    const tier = (await offers(lead.id)).filter((o) => o.phase === "tier_expansion").map((o) => o.djId);
    expect(tier.sort()).toEqual([ranked[1]!.id, ranked[2]!.id, ranked[3]!.id].sort());
    const [ignoredDj] = await t.db.select().from(djs).where(eq(djs.id, ranked[0]!.id));
    expect(ignoredDj).toMatchObject({ reliability: 67, penalty: 5, ignoredCount: 1 });

    // The same timer delivered again, and a stale one for the new phase's old seq: both ignored.
    expect(await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 })).toMatchObject({
      action: "ignore",
    });
    expect(await transitionToNextPhase(s, { leadId: lead.id, phase: "tier_expansion", seq: 1 })).toMatchObject({
      action: "ignore",
    });
    expect((await leadRow(lead.id)).phaseSeq).toBe(2);

    // Two workers with the same timer at once: the lead moves once.
    s.clock.advance(30 * MIN);
    const both = await Promise.all([
      transitionToNextPhase(s, { leadId: lead.id, phase: "tier_expansion", seq: 2 }),
      transitionToNextPhase(s, { leadId: lead.id, phase: "tier_expansion", seq: 2 }),
    ]);
    expect(both.map((b) => b.action).sort()).toEqual(["advance", "ignore"]);
    row = await leadRow(lead.id);
    expect(row).toMatchObject({ leadState: "broadcast", phaseSeq: 3 });
    const broadcast = (await offers(lead.id)).filter((o) => o.phase === "broadcast").map((o) => o.djId);
    expect(broadcast.sort()).toEqual(
      ranked
        .slice(4)
        .map((d) => d.id)
        .sort(),
    );

    // An acceptance ends routing; the phase's timer then only expires the unanswered offers.
    s.clock.advance(MIN);
    await handleLeadResponse(s, { djId: ranked[5]!.id, leadId: lead.id, action: "accepted", quoteCents: 120_000 });
    expect((await leadRow(lead.id)).leadState).toBe("accepted");
    s.clock.advance(120 * MIN);
    expect(await transitionToNextPhase(s, { leadId: lead.id, phase: "broadcast", seq: 3 })).toMatchObject({
      action: "expire_offers",
    });
    const final = await offers(lead.id);
    expect(final.filter((o) => o.status === "accepted").map((o) => o.djId)).toEqual([ranked[5]!.id]);
    expect(final.filter((o) => o.status === "offered")).toHaveLength(0);
    expect(await leadRow(lead.id)).toMatchObject({ leadState: "accepted", phaseSeq: 3 });
    const kinds = (await t.db.select().from(marketLeadEvents).where(eq(marketLeadEvents.leadId, lead.id))).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(["scored", "phase_started", "offer_ignored", "offer_accepted"]));
  });

  it("sends a lead nobody can take to the concierge team, and a declined phase on at once", async () => {
    const s = marketServices(t.db);
    const lonely = await makeLead(t.db, { city: "Nowhere" });
    expect(await routeLead(s, lonely.id)).toBeNull();
    expect(await leadRow(lonely.id)).toMatchObject({
      leadState: "concierge",
      conciergeReason: "no_eligible_djs",
      phaseSeq: 1,
    });

    const city = "Declineville";
    const a = await makeDj(t.db, { city, routingScore: 80 });
    const b = await makeDj(t.db, { city, routingScore: 70 });
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    s.clock.advance(MIN);
    await handleLeadResponse(s, { djId: a.id, leadId: lead.id, action: "declined" });
    expect(await leadRow(lead.id)).toMatchObject({ leadState: "tier_expansion", phaseSeq: 2 });
    // The declined DJ's date is free again; the old exclusive timer is now stale.
    expect(await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 })).toMatchObject({
      action: "ignore",
    });
    await handleLeadResponse(s, { djId: b.id, leadId: lead.id, action: "declined" });
    expect(await leadRow(lead.id)).toMatchObject({ leadState: "concierge", conciergeReason: "nobody_accepted" });
  });

  it("refuses in the database an answer written outside its window", async () => {
    const s = marketServices(t.db);
    const dj = await makeDj(t.db, { city: "Checkville" });
    const lead = await makeLead(t.db, { city: "Checkville" });
    await routeLead(s, lead.id);
    await expect(
      t.db.execute(
        sql`update lead_assignments set status = 'accepted', responded_at = window_ends_at where lead_id = ${lead.id} and dj_id = ${dj.id}`,
      ),
    ).rejects.toThrow();
  });
});
