// Retention on real PostgreSQL: a lead older than its vertical's period loses its contact fields
// and every copy of them (bodies sent to the buyer, notifications, return comments), a recent lead
// and a lead of a vertical without a period keep theirs, the buyer who bought the purged person
// still refuses them as a duplicate (through the keyed hash kept on the lead), and the analytics
// rollups are the same before and after (and when rebuilt from the purged rows).
import {
  analyticsDeliveryDaily,
  analyticsLeadDaily,
  analyticsTxDaily,
  buyers,
  buyerZips,
  leadEvents,
  leads,
  notifications,
  orgs,
  returnRequests,
  transactions,
  verticals,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetRollups, rollupAnalytics } from "../../analytics/rollup";
import { submitLead } from "../../auction/submit";
import type { Services } from "../../context";
import { callerAs, makeOrgUser, silentLog } from "../../testing";
import { runRetention } from "./service";

let t: TestDb;
let clock: ManualClock;
let s: Services;
let sellerOrgId = "";
let buyerId = "";

const DAY = 86_400_000;
const lead = (vertical: string, phone: string, name: string) =>
  submitLead(
    s,
    { orgId: sellerOrgId, role: "seller" },
    {
      vertical,
      zip: "38103",
      contact: { firstName: name, lastName: "Zyxwvut", phone, email: `${name.toLowerCase()}@example.org` },
      customFields: { note: `call ${name} at ${phone}` },
    },
    true,
  );

async function soldTo(leadId: string) {
  const rows = await t.db
    .select({ buyerId: transactions.buyerId })
    .from(transactions)
    .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true)));
  return rows.map((r) => r.buyerId);
}
async function rollups() {
  return {
    tx: await t.db.select().from(analyticsTxDaily).orderBy(asc(analyticsTxDaily.day)),
    lead: await t.db.select().from(analyticsLeadDaily).orderBy(asc(analyticsLeadDaily.day)),
    delivery: await t.db.select().from(analyticsDeliveryDaily).orderBy(asc(analyticsDeliveryDaily.day)),
  };
}

beforeAll(async () => {
  t = await createTestDb();
  clock = new ManualClock("2026-01-01T15:00:00Z");
  s = { db: t.db, clock, log: silentLog, publicUrl: "http://127.0.0.1:0" };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  sellerOrgId = seller!.id;
  await t.db.insert(verticals).values([
    { key: "roofing", name: "Roofing", retentionDays: 30 },
    { key: "solar", name: "Solar", retentionDays: null },
  ]);
  const [org] = await t.db.insert(orgs).values({ name: "Buyer", kind: "contractor" }).returning();
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org!.id,
      name: "Buyer",
      type: "CONTRACTOR",
      verticals: ["roofing", "solar"],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      deliveryMode: "EXCLUSIVE",
      notifyDashboard: true,
      duplicateLookbackDays: 365,
    })
    .returning();
  buyerId = b!.id;
  await t.db.insert(buyerZips).values({ buyerId, zip: "*", priority: 1 });
});
afterAll(async () => {
  await t?.drop();
});

describe("retention", () => {
  it("purges old leads' contact data in batches, keeps recent ones, the duplicate check and the rollups", async () => {
    // Day 0: two roofing leads and one solar lead, all sold to the buyer.
    const old1 = await lead("roofing", "9015550111", "Quentinold");
    const old2 = await lead("roofing", "9015550112", "Rosalindold");
    const solar = await lead("solar", "9015550113", "Solveigkeep");
    for (const l of [old1, old2, solar]) expect(await soldTo(l.id)).toEqual([buyerId]);
    const [sale] = await t.db
      .select({ id: transactions.id })
      .from(transactions)
      .where(and(eq(transactions.leadId, old1.id), eq(transactions.isWinner, true)));
    await t.db.insert(returnRequests).values({
      saleId: sale!.id,
      leadId: old1.id,
      buyerId,
      reason: "INVALID_PHONE",
      comment: "Quentinold at 9015550111 never answered",
      via: "dashboard",
      priceCents: 3000,
      status: "DENIED",
      rule: "VERIFIED_INVALID_PHONE",
      ruleDetail: "the number answered",
    });
    // Day 40: one more roofing lead (recent when the job runs).
    clock.set(new Date(Date.parse("2026-01-01T15:00:00Z") + 40 * DAY));
    const recent = await lead("roofing", "9015550114", "Ulyssesrecent");
    expect(await soldTo(recent.id)).toEqual([buyerId]);

    clock.set(new Date(Date.parse("2026-01-01T15:00:00Z") + 45 * DAY));
    await rollupAnalytics(t.db, clock.now());
    const before = await rollups();
    expect(before.tx.length).toBeGreaterThan(0);

    // Before: the body sent to the buyer and the notification name the person.
    const copies = async (id: string) =>
      JSON.stringify([
        await t.db.select().from(leads).where(eq(leads.id, id)),
        await t.db.select().from(transactions).where(eq(transactions.leadId, id)),
        await t.db.select().from(notifications).where(eq(notifications.leadId, id)),
        await t.db.select().from(returnRequests).where(eq(returnRequests.leadId, id)),
        await t.db.select().from(leadEvents).where(eq(leadEvents.leadId, id)),
      ]);
    const was = await copies(old1.id);
    expect(was.match(/Quentinold/g)?.length).toBeGreaterThanOrEqual(4);

    // Batches of one: the job loops until nothing is due.
    expect(await runRetention(s, { batch: 1 })).toBe(2);
    expect(await runRetention(s, { batch: 1 })).toBe(0);

    for (const id of [old1.id, old2.id]) {
      const [l] = await t.db.select().from(leads).where(eq(leads.id, id));
      expect(l!.purgedAt).toBeInstanceOf(Date);
      expect(l!.contact).toEqual({ firstName: "", lastName: "" });
      expect(l!.phoneNormalized).toBeNull();
      expect(l!.emailNormalized).toBeNull();
      expect(l!.customFields).toEqual({});
      expect(l!.phoneHash).toMatch(/^[0-9a-f]{64}$/);
      expect(l!.emailHash).toMatch(/^[0-9a-f]{64}$/);
      expect(l!.revenueCents).toBe(3000);
      const ev = await t.db
        .select({ kind: leadEvents.kind })
        .from(leadEvents)
        .where(and(eq(leadEvents.leadId, id), eq(leadEvents.kind, "purged")));
      expect(ev).toHaveLength(1);
      // Nothing anywhere about this lead still names the person.
      expect(await copies(id)).not.toMatch(/Quentinold|Rosalindold|quentinold|rosalindold|555011[12]|Zyxwvut/);
    }
    for (const [id, name] of [
      [recent.id, "Ulyssesrecent"],
      [solar.id, "Solveigkeep"],
    ] as const) {
      const [l] = await t.db.select().from(leads).where(eq(leads.id, id));
      expect(l!.purgedAt).toBeNull();
      expect(l!.contact.firstName).toBe(name);
      expect(l!.phoneNormalized).not.toBeNull();
    }

    // The rollups are untouched, and rebuilding them from the purged rows gives the same figures.
    expect(await rollups()).toEqual(before);
    await resetRollups(t.db);
    await rollupAnalytics(t.db, clock.now());
    const strip = (r: Awaited<ReturnType<typeof rollups>>) =>
      JSON.stringify([r.tx, r.lead, r.delivery].map((rows) => rows.map((x) => ({ ...x, updatedAt: null }))));
    expect(strip(await rollups())).toEqual(strip(before));

    // The purged person comes back: the buyer bought them 45 days ago (look-back 365 days), so it
    // refuses them, though the lead's phone and email are gone; a new person is still sold.
    const again = await lead("roofing", "(901) 555-0111", "Quentinagain");
    expect(await soldTo(again.id)).toEqual([]);
    const fresh = await lead("roofing", "9015550199", "Newperson");
    expect(await soldTo(fresh.id)).toEqual([buyerId]);
  });

  it("validates the period and sets it on the Compliance page's vertical", async () => {
    const admin = await makeOrgUser(t.db, "admin");
    const api = callerAs(s, admin);
    await expect(api.compliance.setVerticalRetention({ key: "solar", retentionDays: 0 })).rejects.toThrow(
      /at least 1 day/,
    );
    await expect(api.compliance.setVerticalRetention({ key: "solar", retentionDays: 2.5 })).rejects.toThrow(
      /whole number/,
    );
    await expect(api.compliance.setVerticalRetention({ key: "nope", retentionDays: 10 })).rejects.toThrow(
      /No such vertical/,
    );
    await api.compliance.setVerticalRetention({ key: "solar", retentionDays: 7 });
    const o = await api.compliance.overview();
    expect(o.verticals.find((v) => v.key === "solar")?.retentionDays).toBe(7);
    expect(await runRetention(s)).toBe(1);
    await api.compliance.setVerticalRetention({ key: "solar", retentionDays: null });
    const [v] = await t.db.select().from(verticals).where(eq(verticals.key, "solar"));
    expect(v!.retentionDays).toBeNull();
  });
});
