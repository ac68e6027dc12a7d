// Webhook delivery to a contractor's endpoint in buyer-sim, which verifies the Standard Webhooks
// signature independently: signed correctly; a receiver that is down and comes back gets the same
// webhook-id through pg-boss retries; one that never comes back ends dead with the last error.
import {
  attemptWebhook,
  closeBuyerAgent,
  getLeadDetail,
  registerAuctionJobs,
  submitLead,
  webhookRetry,
} from "@leadflow/api";
import { buyers, createBoss, deliveries, rowsOf, transactions } from "@leadflow/db";
import { eq, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addContractor, leadBody, makeWorld, type World } from "./world";

const secret = () => `whsec_${randomBytes(24).toString("base64")}`;
let w: World;
let boss: PgBoss | null = null;
const saved = { ...webhookRetry };

beforeAll(async () => {
  w = await makeWorld({});
});
beforeEach(async () => {
  await w.t.db.update(buyers).set({ active: false });
});
afterAll(async () => {
  Object.assign(webhookRetry, saved);
  await boss?.stop({ graceful: true, wait: true });
  await w?.close();
  await closeBuyerAgent();
});

async function webhookContractor(simId: string, down = false) {
  const key = secret();
  w.sim.setBuyer(simId, { kind: "contractor", secret: key, down });
  return addContractor(w, {
    pricingModel: "FIXED",
    fixedLeadPriceCents: 2000,
    notifyDashboard: false,
    notifyWebhook: true,
    webhookUrl: w.sim.webhookUrl(simId),
    webhookSecret: key,
  });
}

const seller = () => ({ orgId: w.sellerOrgId, role: "seller" as const });

describe("webhook delivery", () => {
  it("signs the Standard Webhooks way; the receiver verifies it and the transaction records WEBHOOK", async () => {
    const id = await webhookContractor("crm-ok");
    const r = await submitLead(w.s, seller(), leadBody(), true);
    const [d] = await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id));
    expect(d).toMatchObject({ method: "WEBHOOK", status: "delivered", attempts: 1, buyerId: id });
    const got = w.sim.stats().contractors["crm-ok"]!;
    expect(got.signatureOk).toBe(1);
    expect(got.received[0]).toMatchObject({ webhookId: d!.webhookId, verified: true });
    expect((got.received[0]!.payload as { data: { leadId: string } }).data.leadId).toBe(r.id);
    const [t] = await w.t.db.select().from(transactions).where(eq(transactions.leadId, r.id));
    expect(t).toMatchObject({ isWinner: true, deliveryMethod: "WEBHOOK" });
  });

  it("retries through pg-boss until a receiver that was down comes back, with the same webhook-id", async () => {
    Object.assign(webhookRetry, { limit: 5, delaySeconds: 1 });
    boss = createBoss(w.t);
    await boss.start();
    w.s.boss = boss;
    await registerAuctionJobs(boss, w.s);
    await webhookContractor("crm-down", true);
    const r = await submitLead(w.s, seller(), leadBody(), true);
    const row = async () => (await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id)))[0]!;
    await waitFor(async () => (await row()).attempts >= 1, 15_000);
    expect((await row()).status).toBe("failed");
    expect((await row()).lastError).toContain("503");
    w.sim.patchBuyer("crm-down", { down: false });
    await waitFor(async () => (await row()).status === "delivered", 20_000);
    const d = await row();
    expect(d.attempts).toBeGreaterThanOrEqual(2);
    const got = w.sim.stats().contractors["crm-down"]!;
    expect(got.received).toHaveLength(1);
    expect(got.received[0]).toMatchObject({ webhookId: d.webhookId, verified: true });
    expect(got.received[0]!.deliveries).toBeGreaterThanOrEqual(2);
    w.s.boss = undefined;
  });

  it("queues each retry for exactly the next attempt time the lead page shows", async () => {
    Object.assign(webhookRetry, { limit: 5, delaySeconds: 30 });
    if (!boss) {
      boss = createBoss(w.t);
      await boss.start();
      await registerAuctionJobs(boss, w.s);
    }
    w.s.boss = boss;
    await webhookContractor("crm-later", true);
    const r = await submitLead(w.s, seller(), leadBody(), true);
    const row = async () => (await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id)))[0]!;
    await waitFor(async () => (await row()).attempts >= 1, 15_000);
    const d = await row();
    expect(d.status).toBe("failed");
    const jobs = rowsOf<{ due: string; delay_ms: number | string }>(
      await w.t.db.execute(
        sql`select data->>'due' as due, extract(epoch from start_after - created_on) * 1000 as delay_ms from pgboss.job where name = 'lead-delivery' and data->>'deliveryId' = ${d.id} order by created_on desc limit 1`,
      ),
    );
    // The latest job for it (whatever its state by now) is for the attempt time the row shows, and
    // waits in the queue's clock exactly as long as that is after the failure: the first retry, 30 s.
    expect(new Date(jobs[0]!.due).getTime()).toBe(d.nextAttemptAt!.getTime());
    expect(Number(jobs[0]!.delay_ms)).toBe(webhookRetry.delaySeconds * 1000);
    const page = await getLeadDetail(w.s, { orgId: w.sellerOrgId, role: "admin" }, r.id);
    expect(page.deliveries[0]!.nextAttemptAt!.getTime()).toBe(d.nextAttemptAt!.getTime());
    w.s.boss = undefined;
  });

  it("marks a delivery dead with the last error after the last attempt", async () => {
    Object.assign(webhookRetry, { limit: 1, delaySeconds: 1 });
    await webhookContractor("crm-gone", true);
    const r = await submitLead(w.s, seller(), leadBody(), true); // no queue: first attempt inline
    const [d] = await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id));
    expect(d!.status).toBe("failed");
    expect(await attemptWebhook(w.s, d!.id)).toBe(true);
    const [dead] = await w.t.db.select().from(deliveries).where(eq(deliveries.id, d!.id));
    expect(dead).toMatchObject({ status: "dead", attempts: 2 });
    expect(dead!.lastError).toContain("503");
  });
});

async function waitFor(check: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}
