// The marketplace demo is usable: every demo DJ has a profile and credits, each city has price
// guidance, and Memphis's first inquiry goes to the demo DJ the browser test signs in as.
import { getEligibleDJs, priceGuidanceFor } from "@leadflow/api";
import { djs, orgs } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedMarketplace } from "./marketplace";
import { DEMO_ORGS, METROS } from "./world";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

it("seeds DJs, calendars, history and statistics the demo can route against", async () => {
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS.filter((x) => x.kind === "dj")) {
    const [row] = await t.db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
  }
  const now = new Date();
  await seedMarketplace(t.db, orgIds, () => {}, now);
  const demo = await t.db.select().from(djs).where(isNotNull(djs.orgId));
  expect(demo).toHaveLength(5);
  expect(demo.every((d) => d.credits === 10)).toBe(true);
  for (const m of Object.values(METROS)) {
    const g = await priceGuidanceFor(t.db, m.city, null);
    expect(g.guidance?.sentence, m.city).toMatch(new RegExp(`^Most DJs in ${m.city} charge`));
  }
  const eventDate = new Date(now.getTime() + 100 * 86_400_000).toISOString().slice(0, 10);
  const [first] = await getEligibleDJs(t.db, {
    city: "Memphis",
    eventDate,
    budgetMinCents: 100_000,
    budgetMaxCents: 200_000,
    leadId: null,
    now,
  });
  const [beale] = await t.db
    .select()
    .from(djs)
    .where(eq(djs.orgId, orgIds.get("dj-beale")!));
  expect(first?.id).toBe(beale!.id);
});
