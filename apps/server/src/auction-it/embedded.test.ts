// The auction on the embedded database (PGlite, what the demo runs without DATABASE_URL): the
// sale function (claim_sale, with its advisory lock for duplicates), the start statement and the
// shared result write are PostgreSQL the embedded build must run too.
import { closeBuyerAgent, createLead, parseIntake, runAuction, type Services } from "@leadflow/api";
import { silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import {
  buyers,
  buyerZips,
  createDb,
  leadEvents,
  leads,
  migrateDb,
  orgs,
  transactions,
  verticals,
  type DbHandle,
} from "@leadflow/db";
import { ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leadBody, T0, VERTICAL } from "./world";

let h: DbHandle;
let s: Services;
let seller: string;
let capped: string;
let deduping: string;
beforeAll(async () => {
  h = await createDb({ dataDir: "memory://" });
  await migrateDb(h);
  s = {
    db: h.db,
    handle: h,
    clock: new ManualClock(T0),
    log: silentLog,
    publicUrl: "http://127.0.0.1:0",
    outbound: TEST_OUTBOUND,
  };
  const [sellerOrg] = await h.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [buyerOrg] = await h.db.insert(orgs).values({ name: "Contractors", kind: "contractor" }).returning();
  seller = sellerOrg!.id;
  await h.db.insert(verticals).values({ key: VERTICAL, name: "Roofing", floorCents: 0 });
  const base = {
    orgId: buyerOrg!.id,
    type: "CONTRACTOR" as const,
    verticals: [VERTICAL],
    timeZone: "America/Chicago",
    pricingModel: "FIXED" as const,
    deliveryMode: "EXCLUSIVE" as const,
    notifyEmail: false,
    notifyWebhook: false,
    notifyDashboard: true,
  };
  const [a] = await h.db
    .insert(buyers)
    .values({ ...base, name: "capped", fixedLeadPriceCents: 4000, capDaily: 1, duplicateLookbackDays: 0 })
    .returning();
  const [b] = await h.db
    .insert(buyers)
    .values({ ...base, name: "deduping", fixedLeadPriceCents: 3000, duplicateLookbackDays: 30 })
    .returning();
  capped = a!.id;
  deduping = b!.id;
  await h.db.insert(buyerZips).values([capped, deduping].map((buyerId) => ({ buyerId, zip: "*", priority: 1 })));
}, 600_000); // PGlite's initdb and the migrations: seconds on a quiet machine, minutes on a busy one
afterAll(async () => {
  await h?.close();
  await closeBuyerAgent();
});

async function run(body: ReturnType<typeof leadBody>, start: boolean) {
  const created = await createLead(s, seller, parseIntake(body), { start });
  await runAuction(s, created.id, created.started);
  const [lead] = await h.db.select().from(leads).where(eq(leads.id, created.id));
  const won = (await h.db.select().from(transactions).where(eq(transactions.leadId, created.id)))
    .filter((t) => t.isWinner)
    .map((t) => t.buyerId);
  const events = await h.db.select().from(leadEvents).where(eq(leadEvents.leadId, created.id));
  return { lead: lead!, won, events };
}

describe("the auction on PGlite", () => {
  it("sells to the best buyer, stops at its daily cap, and refuses a person the next buyer already bought", async () => {
    const first = leadBody();
    const one = await run(first, true);
    expect(one.lead.status).toBe("SOLD");
    expect(one.won).toEqual([capped]); // $40 beats $30
    expect(one.events.map((e) => e.kind)).toContain("outcome");

    const second = leadBody();
    const two = await run(second, false); // the capped buyer is full for today
    expect(two.won).toEqual([deduping]);

    // The second person again: the capped buyer is full, the other bought them already.
    const three = await run({ ...leadBody(), contact: { ...second.contact } }, true);
    expect(three.lead.status).toBe("UNSOLD");
    const verdicts = new Map(
      three.events.filter((e) => e.kind === "eligibility").map((e) => [e.buyerId, e.data as { reason?: string }]),
    );
    expect(verdicts.get(capped)?.reason).toBe("CAP_REACHED");
    expect(verdicts.get(deduping)?.reason).toBe("DUPLICATE_LEAD");
    expect(three.won).toEqual([]);

    // The first person again: the deduping buyer never bought them, so it may.
    const four = await run({ ...leadBody(), contact: { ...first.contact } }, false);
    expect(four.won).toEqual([deduping]);
  }, 300_000);
});
