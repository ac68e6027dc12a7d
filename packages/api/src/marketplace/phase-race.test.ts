// Phase timers of inquiries that share a city and an event date, fired all at once on several
// connections (issue 13, item 7): each transaction expires its lead's unanswered offers (freeing
// those DJs' dates and lowering their routing scores) and locks the next DJs' dates. Locked in
// whatever order each transaction happened to rank the DJs, two of them could each hold a date the
// other wanted: PostgreSQL's "deadlock detected" on dj_availability. Every advance must succeed,
// and no DJ may hold two leads' open offers for the one date. The second test moves such leads in
// the sweeper's batches (issue 17 item 6), several at once per transaction, from loops racing on
// one pool: each lead moves once per phase, and the batch never plans one DJ for two leads.
import { marketLeads, rowsOf } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG } from "@leadflow/engine";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { routeLead, runDueTransitions, transitionToNextPhase } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 12 });
});
afterAll(async () => {
  await t?.drop();
});

const ROUNDS = 3;
const LEADS = 16;
const DJS = 12;
const MIN = 60_000;
/** Every phase fits in a window this long (the defaults' longest is well under a day). */
const PAST_ANY_WINDOW = 2 * 24 * 60 * MIN;

it("advances many phases of leads sharing a city and date at once: no deadlock, no DJ holding two leads' offers for one date", async () => {
  const s = marketServices(t.db);
  const config = { ...DEFAULT_ROUTING_CONFIG, maxExclusiveDJs: 2, maxTierExpansionDJs: 3, maxBroadcastDJs: 4 };
  for (let round = 0; round < ROUNDS; round++) {
    const city = `Raceville ${round}`;
    const eventDate = "2026-06-20";
    for (let i = 0; i < DJS; i++) await makeDj(t.db, { city, routingScore: 40 + ((i * 7) % 13) });
    const leads = [];
    for (let i = 0; i < LEADS; i++) leads.push(await makeLead(t.db, { city, eventDate }));
    const errors: string[] = [];
    const settle = async (ps: Promise<unknown>[]) => {
      for (const r of await Promise.allSettled(ps)) if (r.status === "rejected") errors.push(reasonOf(r.reason));
    };
    await settle(leads.map((l) => routeLead(s, l.id, config)));
    // Walk every lead through each phase, every lead's timer at once.
    for (let step = 0; step < 4; step++) {
      await assertNoDoubleHolds(
        leads.map((l) => l.id),
        eventDate,
        s.clock.now(),
      );
      const open = await t.db
        .select()
        .from(marketLeads)
        .where(
          inArray(
            marketLeads.id,
            leads.map((l) => l.id),
          ),
        );
      s.clock.advance(PAST_ANY_WINDOW);
      const timers = open
        .filter((l) => l.phase && l.phase !== "concierge")
        .map((l) =>
          transitionToNextPhase(
            s,
            { leadId: l.id, phase: l.phase as "exclusive" | "tier_expansion" | "broadcast", seq: l.phaseSeq },
            config,
          ),
        );
      await settle(timers);
    }
    expect(errors, `round ${round}`).toEqual([]);
    await assertNoDoubleHolds(
      leads.map((l) => l.id),
      eventDate,
      s.clock.now(),
    );
  }
}, 240_000);

it("moves batches of leads sharing a city and date, racing loops that wait and loops that skip: each lead once, no DJ offered two leads of the date", async () => {
  const s = marketServices(t.db);
  const config = { ...DEFAULT_ROUTING_CONFIG, maxExclusiveDJs: 2, maxTierExpansionDJs: 3, maxBroadcastDJs: 4 };
  const city = "Batchville";
  const eventDate = "2026-06-27";
  for (let i = 0; i < DJS * 2; i++) await makeDj(t.db, { city, routingScore: 40 + ((i * 7) % 13) });
  const leads = [];
  for (let i = 0; i < LEADS * 2; i++) leads.push(await makeLead(t.db, { city, eventDate }));
  const ids = leads.map((l) => l.id);
  for (const l of leads) await routeLead(s, l.id, config);
  const events = async () =>
    rowsOf<{ kind: string; n: number }>(
      await t.db.execute(
        sql`select kind, count(*)::int as n from market_lead_events where lead_id in ${ids} group by kind order by kind`,
      ),
    );
  for (let step = 0; step < 4; step++) {
    await assertNoDoubleHolds(ids, eventDate, s.clock.now());
    const before = await t.db.select().from(marketLeads).where(inArray(marketLeads.id, ids));
    const moving = before.filter((l) => l.phase && l.phase !== "concierge").length;
    s.clock.advance(PAST_ANY_WINDOW);
    // Two loops that wait for the (city, date) lock and two that leave busy leads for later.
    let advanced = 0;
    const loop = async (dates: "wait" | "try", limit: number) => {
      for (let idle = 0; idle < 50;) {
        const done = await runDueTransitions(s, { limit, dates, config });
        // (Leads of the first test may fall due on this clock too; only these are counted.)
        advanced += done.filter((d) => ids.includes(d.leadId) && d.result.action === "advance").length;
        if (done.length === 0) {
          idle++;
          await new Promise((r) => setTimeout(r, 20));
        } else idle = 0;
        const [{ n }] = rowsOf<{ n: number }>(
          await t.db.execute(
            sql`select count(*)::int as n from market_leads where id in ${ids} and due_at <= ${s.clock.now().toISOString()}::timestamptz`,
          ),
        ) as [{ n: number }];
        if (n === 0) return;
      }
    };
    await Promise.all([loop("wait", 7), loop("wait", 3), loop("try", 5), loop("try", 11)]);
    // Every lead that had a phase open moved exactly once: its seq went up by one.
    expect(advanced, `step ${step}`).toBe(moving);
    const after = new Map(
      (await t.db.select().from(marketLeads).where(inArray(marketLeads.id, ids))).map((l) => [l.id, l]),
    );
    for (const l of before)
      expect(after.get(l.id)!.phaseSeq, l.id).toBe(l.phase && l.phase !== "concierge" ? l.phaseSeq + 1 : l.phaseSeq);
  }
  await assertNoDoubleHolds(ids, eventDate, s.clock.now());
  // Each offer ignored once, each phase started (or concierge reached) once per move.
  const counts = Object.fromEntries((await events()).map((e) => [e.kind, e.n]));
  const ignored = rowsOf<{ n: number }>(
    await t.db.execute(
      sql`select count(*)::int as n from lead_assignments where lead_id in ${ids} and status = 'ignored'`,
    ),
  )[0]!.n;
  expect(counts.offer_ignored ?? 0).toBe(ignored);
  const seqs = (await t.db.select().from(marketLeads).where(inArray(marketLeads.id, ids))).reduce(
    (sum, l) => sum + l.phaseSeq,
    0,
  );
  expect((counts.phase_started ?? 0) + (counts.concierge ?? 0)).toBe(seqs);
}, 240_000);

/** The database's own message ("deadlock detected"), not the query drizzle wraps it in. */
const reasonOf = (err: unknown) => String((err as { cause?: unknown }).cause ?? err).slice(0, 200);

/** No DJ has open offers from two of these leads, and every open offer's date is held by its lead. */
async function assertNoDoubleHolds(leadIds: string[], eventDate: string, now: Date) {
  const rows = rowsOf<{ dj_id: string; leads: number; held_by_other: number }>(
    await t.db.execute(sql`
      select a.dj_id, count(distinct a.lead_id)::int as leads,
        count(*) filter (where av.locked_by_lead_id is distinct from a.lead_id)::int as held_by_other
      from lead_assignments a
      left join dj_availability av on av.dj_id = a.dj_id and av.date = ${eventDate}::date
      where a.lead_id in ${leadIds} and a.status = 'offered' and a.window_ends_at > ${now.toISOString()}::timestamptz
      group by a.dj_id`),
  );
  for (const r of rows) {
    expect(r.leads, `DJ ${r.dj_id} offered two leads on ${eventDate}`).toBe(1);
    expect(r.held_by_other, `DJ ${r.dj_id}'s date held by another lead than its open offer's`).toBe(0);
  }
}
