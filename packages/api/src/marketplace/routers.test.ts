// The DJ's and the admin's procedures: bad settings are refused with a field message and change
// nothing; the concierge queue hands a lead to a DJ; metrics come from real rows.
import { djAvailability, djs, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { makeDj, makeLead } from "./testing";
import { routeLead } from "./routing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

it("refuses bad calendar and price settings, and keeps DJs to their own profile", async () => {
  const s = testServices(t.db);
  const u = await makeOrgUser(t.db, "dj");
  const dj = await makeDj(t.db, { orgId: u.orgId, city: "Settingsville" });
  const c = callerAs(s, u);
  await expect(c.marketDj.setAvailability({ date: "2026-03-01", status: "unavailable" })).rejects.toThrow(
    "Choose today or a later date.",
  );
  await expect(c.marketDj.setAvailability({ date: "2026-13-01", status: "unavailable" })).rejects.toThrow();
  await expect(c.marketDj.setPriceRange({ priceMinDollars: 2000, priceMaxDollars: 1000 })).rejects.toThrow(
    "The lowest price is above the highest.",
  );
  expect(await t.db.select().from(djAvailability).where(eq(djAvailability.djId, dj.id))).toHaveLength(0);
  expect((await t.db.select().from(djs).where(eq(djs.id, dj.id)))[0]).toMatchObject({
    priceMinCents: 80_000,
    priceMaxCents: 200_000,
  });

  await c.marketDj.setAvailability({ date: "2026-05-01", status: "unavailable" });
  await c.marketDj.setPriceRange({ priceMinDollars: 900, priceMaxDollars: 1800 });
  expect(await c.marketDj.availability()).toEqual([
    { date: "2026-05-01", status: "unavailable", lockedUntil: null, held: false, heldAt: null },
  ]);
  const profile = await c.marketDj.profile();
  expect(profile).toMatchObject({ priceMinCents: 90_000, priceMaxCents: 180_000 });
  // Tips only: the routing score and penalty never reach a DJ.
  expect(JSON.stringify(profile)).not.toMatch(/routing|penalty/i);

  const seller = await makeOrgUser(t.db, "seller");
  await expect(callerAs(s, seller).marketDj.inbox()).rejects.toThrow("This is for dj accounts.");
  const noProfile = await makeOrgUser(t.db, "dj");
  await expect(callerAs(s, noProfile).marketDj.inbox()).rejects.toThrow("no DJ profile");
});

it("lets an admin assign a concierge lead, suspend a DJ and read the metrics", async () => {
  const s = testServices(t.db);
  const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
  const lead = await makeLead(t.db, { city: "Quietville" });
  await routeLead(s, lead.id);
  const queue = await admin.marketAdmin.concierge();
  expect(queue.map((q) => q.id)).toEqual([lead.id]);
  const dj = await makeDj(t.db, { city: "Quietville" });
  await admin.marketAdmin.assign({ leadId: lead.id, djId: dj.id });
  expect((await t.db.select().from(marketLeads).where(eq(marketLeads.id, lead.id)))[0]).toMatchObject({
    leadState: "accepted",
    acceptedDjId: dj.id,
  });
  expect(await admin.marketAdmin.concierge()).toHaveLength(0);
  await expect(admin.marketAdmin.assign({ leadId: lead.id, djId: dj.id })).rejects.toThrow(
    "Only a lead with the concierge team",
  );

  await admin.marketAdmin.setDjStatus({ djId: dj.id, isSuspended: true });
  expect((await t.db.select().from(djs).where(eq(djs.id, dj.id)))[0]!.isSuspended).toBe(true);
  await expect(admin.marketAdmin.grantCredits({ djId: dj.id, credits: 0, note: "x" })).rejects.toThrow();

  const m = await admin.marketAdmin.metrics();
  expect(m.acceptanceRate.value).toBe(1);
  expect(m.conversionRate.value).toBe(0);
  expect(m.firstResponseMs.value).toBe(0);
  const detail = await admin.marketAdmin.lead({ id: lead.id });
  expect(detail.events.map((e) => e.kind)).toEqual([
    "scored",
    "eligibility",
    "phase_skipped",
    "concierge",
    "concierge_assigned",
  ]);
  expect(detail.lead.scoreComponents).toBeTruthy();
});

it("validates routing settings, stores them and routes with them", async () => {
  const s = testServices(t.db);
  const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
  await expect(admin.marketAdmin.setRoutingSettings({ exclusiveWindowMinutes: 0 })).rejects.toThrow(
    "Some routing settings are not valid.",
  );
  await expect(admin.marketAdmin.setRoutingSettings({ exclusiveWindowMinute: 5 })).rejects.toThrow();
  expect((await admin.marketAdmin.routingSettings()).exclusiveWindowMinutes).toBe(15);
  await admin.marketAdmin.setRoutingSettings({ exclusiveWindowMinutes: 5 });
  expect((await admin.marketAdmin.routingSettings()).exclusiveWindowMinutes).toBe(5);
  await makeDj(t.db, { city: "Configville" });
  const lead = await makeLead(t.db, { city: "Configville" });
  const next = await routeLead(s, lead.id);
  expect(next!.dueAt.getTime() - s.clock.now().getTime()).toBe(5 * 60_000);
  await admin.marketAdmin.setRoutingSettings({});
});
