// The analytics against the raw tables on real PostgreSQL: every chart's numbers equal a plain
// query on transactions/leads/deliveries, whether the days come from the rollup, from the live
// tail or from both; the rollup never closes a day that can still change; filters are checked.
import {
  buyers,
  djs,
  leadAssignments,
  leads,
  marketFunnelCounters,
  marketLeads,
  orgs,
  returnRequests,
  transactions,
  verticals,
  type Db,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditReturn, rollupAnalytics, type SessionUser } from "@leadflow/api";
import { callerAs, makeOrgUser, testServices } from "@leadflow/api/testing";
import { generateHistory, insertHistory, type HistoryBuyer } from "./history";

let t: TestDb;
let db: Db;
let admin: SessionUser, net: SessionUser;
const NOW = new Date("2026-03-20T15:00:00Z");
const clock = new ManualClock(NOW.toISOString());
const as = (u: SessionUser) => callerAs({ ...testServices(db), clock }, u);
let buyerIds: string[] = [];
const range = { from: "2026-03-01", to: "2026-03-20" };

type Row = Record<string, unknown>;
const rows = async (q: ReturnType<typeof sql>): Promise<Row[]> => {
  const r = (await db.execute(q)) as unknown as Row[];
  return [...r];
};
const lo = sql`'2026-03-01T00:00:00Z'::timestamptz`;
const hi = sql`'2026-03-21T00:00:00Z'::timestamptz`;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  [admin, net] = await Promise.all([makeOrgUser(db, "admin"), makeOrgUser(db, "network")]);
  const [seller] = await db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  await db.insert(verticals).values([
    { key: "roofing", name: "Roofing", floorCents: 1500 },
    { key: "solar", name: "Solar", floorCents: 2500 },
  ]);
  const net1 = { type: "NETWORK" as const, pingUrl: "http://x.test/p", postUrl: "http://x.test/q", orgId: net.orgId };
  const made = await db
    .insert(buyers)
    .values([
      { ...net1, name: "Alpha", verticals: ["roofing", "solar"], minBidCents: 1500 },
      { ...net1, name: "Beta", verticals: ["roofing"], minBidCents: 2000 },
      { ...net1, name: "Gamma", verticals: ["solar", "roofing"], minBidCents: 3000 },
      { orgId: net.orgId, name: "Roofer Excl", type: "CONTRACTOR", verticals: ["roofing"], deliveryMode: "EXCLUSIVE" },
      {
        orgId: net.orgId,
        name: "Roofer Shared",
        type: "CONTRACTOR",
        verticals: ["roofing", "solar"],
        deliveryMode: "SHARED",
        maxSharedLeads: 2,
      },
    ])
    .returning();
  buyerIds = made.map((b) => b.id);
  const hb: HistoryBuyer[] = made.map((b, i) => ({
    id: b.id,
    type: b.type,
    verticals: b.verticals,
    minBidCents: b.minBidCents,
    pingTimeoutMs: 800,
    deliveryMode: b.deliveryMode,
    maxSharedLeads: b.maxSharedLeads,
    priceCents: 4000 + i * 500,
    methods: i === 3 ? ["EMAIL", "WEBHOOK"] : ["DASHBOARD", "WEBHOOK"],
  }));
  const opts = {
    sellerOrgId: seller!.id,
    buyers: hb,
    verticals: [
      { key: "roofing", floorCents: 1500 },
      { key: "solar", floorCents: 2500 },
    ],
    zips: ["38103"],
  };
  // 25 days of history up to now (some before the range), the contractors often with no network winner.
  await insertHistory(
    db,
    generateHistory({ ...opts, from: new Date("2026-02-24T00:00:00Z"), to: NOW, leads: 1200, seed: 7 }),
  );
}, 120_000);
afterAll(() => t?.drop());

/** The raw truth, written independently of analytics/aggregate.ts. */
async function rawLost() {
  const tx = await rows(
    sql`select t.lost_reason as reason, count(*)::int as n from transactions t where t.created_at >= ${lo} and t.created_at < ${hi} and t.lost_reason is not null group by 1`,
  );
  const ex = await rows(
    sql`select count(*)::int as n from leads where received_at >= ${lo} and received_at < ${hi} and unsold_reason = 'CASCADE_EXHAUSTED'`,
  );
  return { ...Object.fromEntries(tx.map((r) => [r.reason, r.n])), CASCADE_EXHAUSTED: ex[0]!.n };
}

async function expectChartsMatchRaw() {
  const lost = await as(admin).analytics.lostReasons(range);
  expect(Object.fromEntries(lost.byReason.map((r) => [r.reason, r.count]))).toEqual(await rawLost());
  const perDay = await rows(
    sql`select to_char((t.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from transactions t where t.created_at >= ${lo} and t.created_at < ${hi} and t.lost_reason = 'OUTBID' group by 1`,
  );
  for (const d of perDay) expect(lost.overTime.find((x) => x.day === d.day && x.reason === "OUTBID")?.count).toBe(d.n);
  const perBuyer = await rows(
    sql`select t.buyer_id, count(*)::int as n from transactions t where t.created_at >= ${lo} and t.created_at < ${hi} and t.lost_reason = 'TIMEOUT' group by 1`,
  );
  for (const b of perBuyer)
    expect(lost.byBuyer.find((x) => x.buyerId === b.buyer_id && x.reason === "TIMEOUT")?.count).toBe(b.n);

  const perf = await as(admin).analytics.buyerPerformance(range);
  const raw =
    await rows(sql`select t.buyer_id, count(*)::int as asked, count(t.bid_cents)::int as bids, count(*) filter (where t.is_winner)::int as wins,
      count(*) filter (where t.kind = 'POST')::int as posts, count(*) filter (where t.kind = 'POST' and not t.is_winner)::int as rejected,
      count(*) filter (where t.ping_outcome = 'TIMEOUT')::int as timeouts, round(avg(t.latency_ms))::int as mean
    from transactions t where t.created_at >= ${lo} and t.created_at < ${hi} group by 1`);
  expect(perf.buyers.length).toBe(raw.length);
  for (const r of raw) {
    const b = perf.buyers.find((x) => x.buyerId === r.buyer_id)!;
    expect({
      asked: b.asked,
      bids: b.bids,
      wins: b.wins,
      posts: b.posts,
      rejected: b.postsRejected,
      timeouts: b.timeouts,
    }).toEqual({
      asked: r.asked,
      bids: r.bids,
      wins: r.wins,
      posts: r.posts,
      rejected: r.rejected,
      timeouts: r.timeouts,
    });
    if (r.mean != null) expect(Math.abs(b.meanLatencyMs! - (r.mean as number))).toBeLessThanOrEqual(1);
  }
  const [lat] = await rows(
    sql`select count(*) filter (where latency_ms < 100)::int as a, count(*) filter (where latency_ms >= 2000)::int as z, count(latency_ms)::int as n from transactions where created_at >= ${lo} and created_at < ${hi}`,
  );
  expect(perf.latency[0]!.count).toBe(lat!.a);
  expect(perf.latency.at(-1)!.count).toBe(lat!.z);
  expect(perf.latency.reduce((a, x) => a + x.count, 0)).toBe(lat!.n);
  const casc = await rows(
    sql`select cascade_position as p, count(*) filter (where is_winner)::int as won, count(*) filter (where not is_winner)::int as lost from transactions where kind = 'POST' and created_at >= ${lo} and created_at < ${hi} and cascade_position < 6 group by 1`,
  );
  for (const c of casc) expect(perf.cascade[(c.p as number) - 1]).toMatchObject({ accepted: c.won, rejected: c.lost });

  const rev = await as(admin).analytics.revenue(range);
  const [lr] = await rows(
    sql`select count(*)::int as leads, count(*) filter (where status = 'SOLD')::int as sold, sum(revenue_cents)::bigint as rev from leads where received_at >= ${lo} and received_at < ${hi}`,
  );
  expect(rev.total).toMatchObject({ leads: lr!.leads, sold: lr!.sold, revenueCents: Number(lr!.rev) });
  const solar = await as(admin).analytics.revenue({ ...range, vertical: "solar" });
  const [sr] = await rows(
    sql`select sum(revenue_cents)::bigint as rev from leads where vertical = 'solar' and received_at >= ${lo} and received_at < ${hi}`,
  );
  expect(solar.total.revenueCents).toBe(Number(sr!.rev));
  const alpha = await as(admin).analytics.revenue({ ...range, buyerId: buyerIds[0] });
  const [ar] =
    await rows(sql`select (coalesce(sum(price_cents) filter (where is_winner), 0) - coalesce((select sum(c.amount_cents) from return_credits c join transactions s on s.id = c.sale_id
      where c.buyer_id = ${buyerIds[0]} and s.created_at >= ${lo} and s.created_at < ${hi}), 0))::bigint as rev, count(*) filter (where is_winner)::int as wins
    from transactions where buyer_id = ${buyerIds[0]} and created_at >= ${lo} and created_at < ${hi}`);
  expect(alpha.total).toMatchObject({ revenueCents: Number(ar!.rev), sold: ar!.wins });

  const del = await as(admin).analytics.deliveries(range);
  const rawDel = await rows(
    sql`select d.method, d.status, count(*)::int as n from deliveries d where d.created_at >= ${lo} and d.created_at < ${hi} group by 1, 2`,
  );
  for (const d of rawDel)
    expect(
      del.rows.filter((x) => x.method === d.method && x.status === d.status).reduce((a, x) => a + x.count, 0),
    ).toBe(d.n);
  const [shared] = await rows(
    sql`select count(*)::int as n from deliveries d join buyers b on b.id = d.buyer_id where b.delivery_mode = 'SHARED' and d.created_at >= ${lo} and d.created_at < ${hi}`,
  );
  // The generator's sale mode is the first contractor's; shared sales are recorded as SHARED.
  expect(del.rows.filter((x) => x.mode === "SHARED").reduce((a, x) => a + x.count, 0)).toBeGreaterThan(0);
  expect(shared!.n).toBeGreaterThan(0);
  return { lost, perf, rev, del };
}

describe("analytics", () => {
  it("answers from the raw tables alone before any rollup", async () => {
    const state = await rows(sql`select count(*)::int as n from analytics_rollup_state`);
    expect(state[0]!.n).toBe(0);
    await expectChartsMatchRaw();
  });

  it("rolls up closed days only, and rollup + live tail equals the raw tables", async () => {
    const before = await expectChartsMatchRaw();
    const res = await rollupAnalytics(db, NOW);
    expect(res.map((r) => r.through)).toEqual(["2026-03-20", "2026-03-20", "2026-03-20"]);
    const [n] = await rows(sql`select count(*)::int as n from analytics_tx_daily where day = '2026-03-19'`);
    expect(n!.n).toBeGreaterThan(0);
    const [today] = await rows(sql`select count(*)::int as n from analytics_tx_daily where day >= '2026-03-20'`);
    expect(today!.n).toBe(0);
    const after = await expectChartsMatchRaw();
    expect(after.lost.byReason).toEqual(before.lost.byReason);
    expect(after.perf.buyers).toEqual(before.perf.buyers);
  });

  it("keeps a day open while one of its leads is still running, and re-rolls late changes", async () => {
    const [open] = await db
      .select({ id: leads.id })
      .from(leads)
      .where(sql`received_at >= '2026-03-15' and received_at < '2026-03-16'`)
      .limit(1);
    await db
      .update(leads)
      .set({ status: "PROCESSING" })
      .where(sql`id = ${open!.id}`);
    const res = await rollupAnalytics(db, NOW);
    expect(res.find((r) => r.name === "tx")!.through).toBe("2026-03-15");
    // A late transaction on that day is now part of the tail, so the charts see it.
    await db
      .insert(transactions)
      .values({
        leadId: open!.id,
        buyerId: buyerIds[2]!,
        kind: "PING",
        pingOutcome: "TIMEOUT",
        lostReason: "TIMEOUT",
        latencyMs: 800,
        createdAt: new Date("2026-03-15T12:00:00Z"),
      })
      .onConflictDoNothing();
    await db
      .update(leads)
      .set({ status: "UNSOLD" })
      .where(sql`id = ${open!.id}`);
    await expectChartsMatchRaw();
    const again = await rollupAnalytics(db, NOW);
    expect(again.find((r) => r.name === "tx")!.through).toBe("2026-03-20");
    await expectChartsMatchRaw();
  });

  it("takes an approved return's credit off the revenue of a day already rolled up", async () => {
    await rollupAnalytics(db, NOW);
    const before = await as(admin).analytics.revenue(range);
    const [sale] = await db
      .select()
      .from(transactions)
      .where(sql`is_winner and buyer_id = ${buyerIds[0]} and created_at >= '2026-03-05' and created_at < '2026-03-18'`)
      .limit(1);
    const [req] = await db
      .insert(returnRequests)
      .values({
        saleId: sale!.id,
        leadId: sale!.leadId,
        buyerId: sale!.buyerId,
        reason: "FAKE_OR_TEST",
        via: "api",
        priceCents: sale!.priceCents!,
        status: "APPROVED",
        rule: "WITHIN_CAP",
        ruleDetail: "test",
      })
      .returning();
    await db.transaction((tx) =>
      creditReturn(
        tx,
        { id: req!.id, saleId: sale!.id, leadId: sale!.leadId, buyerId: sale!.buyerId, priceCents: sale!.priceCents! },
        NOW,
      ),
    );
    const after = await expectChartsMatchRaw();
    expect(after.rev.total.revenueCents).toBe(before.total.revenueCents - sale!.priceCents!);
  });

  it("filters by vertical and buyer", async () => {
    const lost = await as(admin).analytics.lostReasons({ ...range, vertical: "solar", buyerId: buyerIds[0] });
    const [r] = await rows(
      sql`select count(*)::int as n from transactions t join leads l on l.id = t.lead_id where l.vertical = 'solar' and t.buyer_id = ${buyerIds[0]} and t.lost_reason is not null and t.created_at >= ${lo} and t.created_at < ${hi}`,
    );
    expect(lost.byReason.reduce((a, x) => a + x.count, 0)).toBe(r!.n);
    expect(lost.byBuyer.every((x) => x.buyerId === buyerIds[0])).toBe(true);
    expect(lost.byReason.some((x) => x.reason === "CASCADE_EXHAUSTED")).toBe(false);
  });

  it("refuses bad filters and non-admins", async () => {
    await expect(as(admin).analytics.revenue({ vertical: "pottery" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("no vertical"),
    });
    await expect(
      as(admin).analytics.revenue({ buyerId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).analytics.revenue({ from: "2025-01-01", to: "2026-03-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("366"),
    });
    await expect(as(admin).analytics.revenue({ from: "2026-03-05", to: "2026-03-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(as(admin).analytics.revenue({ from: "March" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(net).analytics.lostReasons(range)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("shows the marketplace funnel and metrics against their targets, empty when nothing happened", async () => {
    const m = await as(admin).analytics.marketplace(range);
    expect(m.funnel.map((x) => x.count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(m.metrics.find((x) => x.key === "acceptanceRate")).toMatchObject({ value: null, target: "> 60%", ok: null });
  });

  it("counts the marketplace's inquiries, offers, bookings and prices of the range", async () => {
    const [dj] = await db
      .insert(djs)
      .values({ name: "DJ A", city: "Memphis", state: "TN", priceMinCents: 50000, priceMaxCents: 200000 })
      .returning();
    await db.insert(djs).values({
      name: "DJ B",
      city: "Memphis",
      state: "TN",
      priceMinCents: 50000,
      priceMaxCents: 200000,
      isSuspended: true,
    });
    const at = (d: string) => new Date(`${d}T12:00:00Z`);
    const lead = (n: number, created: string, extra: Partial<typeof marketLeads.$inferInsert> = {}) => ({
      contact: { name: `C${n}` },
      city: "Memphis",
      eventType: "wedding" as const,
      eventDate: "2026-09-01",
      comparisonTokenHash: `h${n}`,
      createdAt: at(created),
      phaseSeq: 1,
      ...extra,
    });
    const made = await db
      .insert(marketLeads)
      .values([
        lead(1, "2026-03-05", {
          leadState: "converted",
          acceptedAt: at("2026-03-05"),
          firstResponseAt: new Date("2026-03-05T13:00:00Z"),
          convertedAt: at("2026-03-06"),
          bookingValueCents: 150000,
        }),
        lead(2, "2026-03-06", {
          leadState: "accepted",
          acceptedAt: at("2026-03-06"),
          firstResponseAt: new Date("2026-03-06T15:00:00Z"),
        }),
        lead(3, "2026-03-07", { leadState: "closed" }),
        lead(4, "2026-03-07", { eventType: "birthday", leadState: "closed", phaseSeq: 0 }),
        lead(5, "2026-02-01", { leadState: "converted", convertedAt: at("2026-02-02"), bookingValueCents: 990000 }), // before the range
      ])
      .returning();
    await db.insert(leadAssignments).values([
      {
        leadId: made[1]!.id,
        djId: dj!.id,
        phase: "exclusive",
        phaseSeq: 1,
        status: "accepted",
        offeredAt: at("2026-03-06"),
        windowEndsAt: new Date("2026-03-06T18:00:00Z"),
        respondedAt: new Date("2026-03-06T15:00:00Z"),
        quoteCents: 120000,
      },
    ]);
    await db.insert(marketFunnelCounters).values([
      { day: "2026-03-05", city: "Memphis", metric: "calculator_view", count: 10 },
      { day: "2026-03-05", city: "Memphis", metric: "inquiry_from_calculator", count: 2 },
      { day: "2026-01-05", city: "Memphis", metric: "calculator_view", count: 99 },
    ]);
    const m = await as(admin).analytics.marketplace(range);
    expect(Object.fromEntries(m.funnel.map((x) => [x.step, x.count]))).toEqual({
      "Calculator views": 10,
      Inquiries: 4,
      "Inquiries from the calculator": 2,
      "Offered to DJs": 3,
      "Accepted by a DJ": 2,
      Booked: 1,
    });
    const metric = (k: string) => m.metrics.find((x) => x.key === k)!;
    expect(metric("acceptanceRate")).toMatchObject({ value: 2 / 3, ok: true });
    expect(metric("conversionRate")).toMatchObject({ value: 0.25, ok: false });
    expect(metric("calculatorToInquiry")).toMatchObject({ value: 0.2, ok: true });
    expect(metric("firstResponseMs").value).toBe(2 * 3_600_000); // (1 h + 3 h) / 2
    expect(m.byCity).toEqual([{ city: "Memphis", leads: 4, djs: 1, leadsPerDj30d: (4 * 30) / 20 }]);
    expect(m.demand).toEqual([
      { city: "Memphis", eventType: "wedding", leads: 3 },
      { city: "Memphis", eventType: "birthday", leads: 1 },
    ]);
    expect(m.prices).toEqual([
      {
        city: "Memphis",
        eventType: "wedding",
        n: 2,
        min: 120000,
        p25: 127500,
        median: 135000,
        p75: 142500,
        max: 150000,
      },
    ]);
  });
});
