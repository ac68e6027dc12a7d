// The replay knows a person as the live duplicate check does: by the normalized phone and email
// and by their keyed hashes (leads.phone_hash, email_hash). A lead purged by retention keeps only
// the hashes; the person who comes back is a duplicate live, and must be one in the replay too.
// Real PostgreSQL, the live runAuction and the real retention job.
import { buyers, buyerZips, leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLead, parseIntake, runAuction } from "../auction";
import { runRetention } from "../compliance/retention/service";
import type { Services } from "../context";
import { callerAs, makeOrgUser, silentLog } from "../testing";

let t: TestDb;
let s: Services;
const clock = new ManualClock("2026-03-02T15:00:00Z");
let sellerId = "";
let buyerId = "";
const DAY = 24 * 60 * 60_000;

async function send(phone: string, email: string) {
  const body = parseIntake({
    vertical: "roofing",
    zip: "75201",
    contact: { firstName: "Sam", lastName: "Again", phone, email },
  });
  const { id } = await createLead(s, sellerId, body);
  await runAuction(s, id);
  return id;
}

beforeAll(async () => {
  t = await createTestDb();
  s = { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0" };
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", retentionDays: 1 });
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  sellerId = seller!.id;
  const org = (await makeOrgUser(t.db, "contractor", "Pro Roofing")).orgId;
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org,
      name: "Pro Roofing",
      type: "CONTRACTOR",
      verticals: ["roofing"],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 1500,
      notifyEmail: false,
      notifyDashboard: false,
      duplicateLookbackDays: 30,
      timeZone: "America/Chicago",
    })
    .returning();
  buyerId = b!.id;
  await t.db.insert(buyerZips).values({ buyerId, zip: "*", priority: 1 });
}, 60_000);
afterAll(async () => {
  await t?.drop();
});

describe("replay after a retention purge", () => {
  it("still counts the purged person as a duplicate, as the live auction did", async () => {
    const first = await send("2145550101", "sam.again@example.org");
    clock.advance(2 * DAY);
    expect(await runRetention(s)).toBeGreaterThanOrEqual(1);
    const [purged] = await t.db.select().from(leads).where(eq(leads.id, first));
    expect(purged!.phoneNormalized).toBeNull();
    expect(purged!.emailNormalized).toBeNull();
    expect(purged!.phoneHash).toBeTruthy();

    clock.advance(60 * 60_000);
    const again = await send("(214) 555-0101", "Sam.Again@example.org");
    const other = await send("2145550199", "someone.else@example.org");
    const status = async (id: string) => (await t.db.select().from(leads).where(eq(leads.id, id)))[0]!.status;
    expect(await status(again)).toBe("UNSOLD"); // live: the buyer bought this person 2 days ago
    expect(await status(other)).toBe("SOLD");

    const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
    const r = await admin.insight.replay({ buyerId, days: 7 });
    expect(r.leads).toBe(3);
    const row = r.rows.find((x) => x.leadId === again)!;
    expect(row.recorded).toMatchObject({ won: false, reason: "DUPLICATE_LEAD" });
    expect(row.replay).toMatchObject({ won: false, reason: "DUPLICATE_LEAD" });
    expect(r.gained + r.lost).toBe(0);
    expect(r.replay.won).toBe(r.recorded.won);
  });
});
