import { exportBuyers, importBuyers, toEngineBuyer } from "@leadflow/api";
import { buyerZips, buyers, orgs, verticals } from "@leadflow/db";
import { TEST_OUTBOUND } from "@leadflow/api/testing";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { demoBuyerSimConfig } from "@leadflow/buyer-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auctionSeed } from "./auction";
import { DEMO_ORGS } from "./world";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  // The organisations only (seedDemo would also hash every demo password, which is slow).
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const [row] = await t.db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
  }
  const steps: string[] = [];
  await auctionSeed().run({ db: t.db, orgIds, progress: (s, d, n) => steps.push(`${s} ${d}/${n}`) });
  expect(steps.at(-1)).toMatch(/16\/16$/);
});
afterAll(() => t?.drop());

describe("auction seed", () => {
  it("creates verticals, every simulated network and the demo contractors", async () => {
    expect((await t.db.select().from(verticals)).map((v) => v.key).sort()).toEqual([
      "hvac",
      "plumbing",
      "roofing",
      "solar",
      "windows",
    ]);
    const rows = await t.db.select().from(buyers);
    const sim = demoBuyerSimConfig();
    const nets = rows.filter((b) => b.type === "NETWORK");
    expect(nets.map((b) => /networks\/([^/]+)\/ping$/.exec(b.pingUrl!)?.[1]).sort()).toEqual(
      Object.keys(sim.networks ?? {}).sort(),
    );
    const cons = rows.filter((b) => b.type === "CONTRACTOR");
    expect(new Set(cons.map((b) => b.deliveryMode))).toEqual(new Set(["EXCLUSIVE", "SHARED"]));
    expect(new Set(cons.map((b) => b.pricingModel))).toEqual(new Set(["FIXED", "AUCTION", "HYBRID"]));
    for (const c of cons.filter((b) => b.webhookUrl)) {
      const id = /contractors\/([^/]+)\/webhook$/.exec(c.webhookUrl!)?.[1];
      expect(sim.contractors?.[id!]?.secret).toBe(c.webhookSecret);
    }
    const zips = await t.db.select().from(buyerZips);
    for (const b of rows)
      expect(
        toEngineBuyer(
          b,
          zips.filter((z) => z.buyerId === b.id),
        ).serviceZips.length,
      ).toBeGreaterThan(0);
  });

  it("round-trips through export and import unchanged", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const out = await exportBuyers(t.db, clock);
    const before = await t.db.select().from(buyers).orderBy(buyers.key);
    const r = await importBuyers(t.db, clock, JSON.stringify(out, null, 2), TEST_OUTBOUND);
    expect(r).toEqual({ verticals: 5, created: 0, updated: before.length });
    expect(await exportBuyers(t.db, clock)).toEqual(out);
    const after = await t.db.select().from(buyers).orderBy(buyers.key);
    expect(after.map(({ updatedAt: _u, ...b }) => b)).toEqual(before.map(({ updatedAt: _u, ...b }) => b));
  });
});
