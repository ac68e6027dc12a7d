// The demo's analytics history on the embedded database the demo uses by default (PGlite): it is
// written, the rollups start over, and the charts (raw, then rolled up) agree with the rows.
import { lostReasonsChart, resolveFilters, revenueChart, rollupAnalytics } from "@leadflow/api";
import { createDb, migrateDb, orgs, type DbHandle } from "@leadflow/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { analyticsHistorySeed } from "./analytics-history";
import { auctionSeed } from "./auction";
import { DEMO_ORGS } from "./world";

let h: DbHandle;
beforeAll(async () => {
  h = await createDb({ dataDir: "memory://" });
  await migrateDb(h);
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const [row] = await h.db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
  }
  const ctx = { db: h.db, orgIds, progress: () => {} };
  await auctionSeed().run(ctx);
  // As if the server's job had rolled up before the seed wrote into those days.
  await rollupAnalytics(h.db, new Date());
  await analyticsHistorySeed().run(ctx);
}, 600_000); // PGlite and two seeds: minutes on a busy machine
afterAll(() => h?.close());

type Row = Record<string, unknown>;
const rows = async (q: ReturnType<typeof sql>) => {
  const r = (await h.db.execute(q)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(r) ? r : r.rows;
};

it("writes 30 days of history for the demo buyers and restarts the rollups", async () => {
  const [n] = await rows(
    sql`select count(*)::int as leads, (select count(*)::int from transactions) as tx, (select count(*)::int from analytics_rollup_state) as states from leads`,
  );
  expect(n).toMatchObject({ leads: 1200, states: 0 });
  expect(n!.tx as number).toBeGreaterThan(5000);
  const f = await resolveFilters(h.db, new Date(), {});
  const [lost] = await rows(
    sql`select count(*)::int as n from transactions where lost_reason is not null and created_at >= ${f.from}::date`,
  );
  const [ex] = await rows(
    sql`select count(*)::int as n from leads where unsold_reason = 'CASCADE_EXHAUSTED' and received_at >= ${f.from}::date`,
  );
  const [rev] = await rows(sql`select sum(revenue_cents)::bigint as r from leads where received_at >= ${f.from}::date`);
  for (const pass of ["raw", "rolled up"]) {
    if (pass === "rolled up") expect((await rollupAnalytics(h.db, new Date()))[0]!.rows).toBeGreaterThan(0);
    const chart = await lostReasonsChart(h.db, f);
    expect(chart.byReason.reduce((a, x) => a + x.count, 0)).toBe((lost!.n as number) + (ex!.n as number));
    expect((await revenueChart(h.db, f)).total.revenueCents).toBe(Number(rev!.r));
  }
});
