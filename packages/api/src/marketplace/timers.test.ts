// The phase timer sweeper run by several workers at once (issue 17, item 6): two "processes" (two
// connection pools on one database, four loops each) claim batches of due leads FOR UPDATE SKIP
// LOCKED (small batches, so the loops contend) while explicit timers for the same leads and a
// draining loop that waits for busy dates instead of skipping them race them. Every due lead must move exactly once (one
// exclusive → tier expansion step, its offers ignored once), none may be left due, and leads whose
// windows have not ended must not be touched.
import { createDb, leadAssignments, marketLeadEvents, marketLeads, rowsOf } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG, ManualClock } from "@leadflow/engine";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { routeLead, runDueTransition, runDueTransitions, transitionToNextPhase, type DueTransition } from "./routing";
import { startPhaseTimerSweeper } from "./timers";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
let other: Awaited<ReturnType<typeof createDb>>;
beforeAll(async () => {
  t = await createTestDb({ max: 8 });
  other = await createDb({ databaseUrl: t.url, max: 8 });
});
afterAll(async () => {
  await other?.close();
  await t?.drop();
});

const LEADS = 40;
const config = { ...DEFAULT_ROUTING_CONFIG, maxExclusiveDJs: 2, maxTierExpansionDJs: 3, maxBroadcastDJs: 4 };

it("two sweepers and racing explicit timers move each due lead exactly once", async () => {
  const clock = new ManualClock("2026-03-02T15:00:00Z");
  const s = marketServices(t.db, clock);
  const leads: string[] = [];
  // Four cities sharing event dates, so transitions contend for the same DJs' dates.
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < 8; i++) await makeDj(t.db, { city: `Sweepville ${c}`, routingScore: 30 + ((i * 11) % 60) });
    for (let i = 0; i < LEADS / 4; i++) {
      const lead = await makeLead(t.db, { city: `Sweepville ${c}`, eventDate: `2026-07-0${1 + (i % 3)}` });
      await routeLead(s, lead.id, config);
      leads.push(lead.id);
    }
  }
  // A lead routed later: its window ends after the others' and after the clock moves.
  const laterLead = await makeLead(t.db, { city: "Sweepville 0", eventDate: "2026-07-09" });
  clock.advance(10 * 60_000);
  await routeLead(s, laterLead.id, { ...config, exclusiveWindowMinutes: 60 });
  const exclusiveOffers = rowsOf<{ n: number }>(
    await t.db.execute(
      sql`select count(*)::int as n from lead_assignments where lead_id in ${leads} and phase = 'exclusive'`,
    ),
  )[0]!.n;
  expect(exclusiveOffers).toBeGreaterThanOrEqual(LEADS);

  // Past every exclusive window of the first leads (15 min by default), not past the later one's.
  clock.advance(10 * 60_000);
  const handled: DueTransition[] = [];
  const a = startPhaseTimerSweeper(s, { workers: 4, batch: 5, idleMs: 20, onHandled: (d) => handled.push(d) });
  const b = startPhaseTimerSweeper(
    { ...s, db: other.db },
    { workers: 4, batch: 8, idleMs: 20, onHandled: (d) => handled.push(d) },
  );
  // A drain that waits for busy dates (sweepOverdueLeads' way), on the second pool.
  const drain = (async () => {
    for (let i = 0; i < 20; i++) {
      const done = await runDueTransitions({ ...s, db: other.db }, { limit: 6, config });
      handled.push(...done);
      if (done.length === 0) break;
    }
  })();
  // Explicit timers (a redelivered job, a proof's sweep) for every lead, at the same time.
  const explicit = await Promise.allSettled(
    leads.map((id) => transitionToNextPhase(s, { leadId: id, phase: "exclusive", seq: 1 }, config)),
  );
  await drain;
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [{ n }] = rowsOf<{ n: number }>(
        await t.db.execute(
          sql`select count(*)::int as n from market_leads where due_at <= ${clock.now().toISOString()}::timestamptz`,
        ),
      ) as [{ n: number }];
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  expect(explicit.filter((r) => r.status === "rejected")).toEqual([]);
  const advancedByExplicit = explicit.filter((r) => r.status === "fulfilled" && r.value.action === "advance").length;
  const advancedBySweepers = handled.filter((d) => d.result.action === "advance").length;
  expect(advancedByExplicit + advancedBySweepers).toBe(LEADS);

  const rows = await t.db
    .select({ id: marketLeads.id, state: marketLeads.leadState, seq: marketLeads.phaseSeq, dueAt: marketLeads.dueAt })
    .from(marketLeads)
    .where(inArray(marketLeads.id, leads));
  for (const r of rows) {
    expect(r.seq, r.id).toBe(2);
    expect(["tier_expansion", "broadcast", "concierge"]).toContain(r.state);
    if (r.state !== "concierge") expect(r.dueAt!.getTime()).toBeGreaterThan(clock.now().getTime());
  }
  const events = rowsOf<{ kind: string; n: number }>(
    await t.db.execute(
      sql`select kind, count(*)::int as n from market_lead_events where lead_id in ${leads} group by kind`,
    ),
  );
  const count = (k: string) => events.find((e) => e.kind === k)?.n ?? 0;
  // Each exclusive offer ignored once; each lead's second phase (or concierge) started once.
  expect(count("offer_ignored")).toBe(exclusiveOffers);
  expect(count("phase_started") + count("concierge")).toBe(2 * LEADS);
  const ignored = await t.db
    .select({ n: sql<number>`count(*)::int` })
    .from(leadAssignments)
    .where(sql`${leadAssignments.leadId} in ${leads} and ${leadAssignments.status} = 'ignored'`);
  expect(ignored[0]!.n).toBe(exclusiveOffers);

  // The lead whose window has not ended was left alone, and nothing else is due.
  const [later] = await t.db.select().from(marketLeads).where(eq(marketLeads.id, laterLead.id));
  expect(later!.leadState).toBe("exclusive");
  expect(later!.phaseSeq).toBe(1);
  expect(await runDueTransition(s)).toBeNull();
  expect(
    (await t.db.select().from(marketLeadEvents).where(eq(marketLeadEvents.leadId, laterLead.id))).some(
      (e) => e.kind === "offer_ignored",
    ),
  ).toBe(false);
}, 120_000);

it("clears due_at of a lead that closed while a phase was open, and of an accepted lead once its offers expired", async () => {
  const clock = new ManualClock("2026-03-02T15:00:00Z");
  const s = marketServices(t.db, clock);
  for (let i = 0; i < 3; i++) await makeDj(t.db, { city: "Closeville", routingScore: 50 + i });
  const closed = await makeLead(t.db, { city: "Closeville", eventDate: "2026-08-01" });
  const accepted = await makeLead(t.db, { city: "Closeville", eventDate: "2026-08-02" });
  await routeLead(s, closed.id, config);
  await routeLead(s, accepted.id, config);
  await t.db
    .update(marketLeads)
    .set({ leadState: "closed", closeReason: "customer_cancelled" })
    .where(eq(marketLeads.id, closed.id));
  await t.db.update(marketLeads).set({ leadState: "accepted" }).where(eq(marketLeads.id, accepted.id));
  clock.advance(60 * 60_000);
  const actions = [];
  // (The first test's leads fall due too on this clock; only these two are looked at.)
  for (let d = await runDueTransition(s); d; d = await runDueTransition(s))
    if (d.leadId === closed.id || d.leadId === accepted.id) actions.push([d.leadId, d.result.action]);
  expect(actions).toEqual(
    expect.arrayContaining([
      [closed.id, "ignore"],
      [accepted.id, "expire_offers"],
    ]),
  );
  expect(actions).toHaveLength(2);
  const rows = await t.db
    .select({ id: marketLeads.id, dueAt: marketLeads.dueAt, state: marketLeads.leadState })
    .from(marketLeads)
    .where(inArray(marketLeads.id, [closed.id, accepted.id]));
  expect(rows.map((r) => r.dueAt)).toEqual([null, null]);
  expect(rows.find((r) => r.id === accepted.id)!.state).toBe("accepted");
});
