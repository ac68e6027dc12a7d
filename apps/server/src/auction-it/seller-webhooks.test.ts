// A seller's status webhooks on real PostgreSQL and real HTTP: a receiver on loopback verifies
// every request with the `standardwebhooks` package (as a seller's code would), and the events
// come from the real paths: an auction that sells, one that ends unsold, an approved return, and
// the test button. A receiver that refuses connections, then answers 500, then comes back gets the
// event through pg-boss retries with the same webhook-id. Another seller's settings cannot be read
// or changed, and a private or internal URL is refused when saved.
import {
  attemptSellerWebhook,
  closeBuyerAgent,
  getLeadDetail,
  registerJobs,
  requestReturn,
  submitLead,
  sweepSellerWebhooks,
  webhookRetry,
  type Services,
  type SessionUser,
} from "@leadflow/api";
import { callerAs, makeOrgUser } from "@leadflow/api/testing";
import { buyers, createBoss, payoutRules, sellerWebhookDeliveries } from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type PgBoss from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, leadBody, makeWorld, type World } from "./world";

type Mode = "ok" | "error" | "refuse";
interface Received {
  id: string;
  verified: boolean;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  raw: string;
}

/** A seller's endpoint: verifies each request with the secret it was shown, answers by `mode`. */
class Receiver {
  secret = "";
  mode: Mode = "ok";
  received: Received[] = [];
  hits = 0;
  port = 0;
  private server: Server | null = null;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.hits++;
        const raw = Buffer.concat(chunks).toString("utf8");
        if (this.mode === "error") {
          res.writeHead(500).end("receiver is broken");
          return;
        }
        let verified = false;
        try {
          new Webhook(this.secret).verify(raw, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        this.received.push({ id: String(req.headers["webhook-id"]), verified, body: JSON.parse(raw), raw });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening: connections to the port are refused until start() again (same port). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get url() {
    return `http://127.0.0.1:${this.port}/leadflow-events`;
  }
  of(type: string) {
    return this.received.filter((r) => r.body.type === type);
  }
}

let w: World;
let s: Services;
let seller: SessionUser;
let other: SessionUser;
let contractor: string;
const rx = new Receiver();
let boss: PgBoss | null = null;
const saved = { ...webhookRetry };

const api = (user: SessionUser, services: Services = s) => callerAs(services, user);

beforeAll(async () => {
  w = await makeWorld({});
  // The `standardwebhooks` verifier checks the signature's timestamp against the wall clock.
  s = { ...w.s, clock: systemClock };
  seller = await makeOrgUser(w.t.db, "seller", "Bright Path Leads");
  other = await makeOrgUser(w.t.db, "seller", "Other Seller");
  await w.t.db
    .insert(payoutRules)
    .values({ sellerOrgId: seller.orgId, kind: "FIXED_PER_LEAD", fixedCents: 700, minMarginCents: 0 });
  await w.t.db.update(buyers).set({ active: false });
  contractor = await addContractor(w, {
    pricingModel: "FIXED",
    fixedLeadPriceCents: 2000,
    returnCapPercent: 100,
  });
  await rx.start();
});
afterAll(async () => {
  Object.assign(webhookRetry, saved);
  await boss?.stop({ graceful: true, wait: true });
  await rx.stop();
  await closeBuyerAgent();
  await w?.close();
});

const rows = (orgId: string) =>
  w.t.db.select().from(sellerWebhookDeliveries).where(eq(sellerWebhookDeliveries.sellerOrgId, orgId));

describe("seller status webhooks", () => {
  it("saves a URL and shows the signing secret once; a rotation shows a new one; reading never shows it", async () => {
    const first = await api(seller).sellerWebhooks.save({ url: rx.url });
    expect(first.secret).toMatch(/^whsec_/);
    rx.secret = first.secret!;
    const again = await api(seller).sellerWebhooks.save({ url: rx.url });
    expect(again.secret).toBeNull();
    const got = await api(seller).sellerWebhooks.get();
    expect(got).toMatchObject({ url: rx.url });
    expect(JSON.stringify(got)).not.toContain("whsec_");
    const rotated = await api(seller).sellerWebhooks.rotateSecret();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first.secret);
    rx.secret = rotated.secret;
  });

  it("sends lead.sold, signed, with the seller's reference and payout and nothing of the buyer", async () => {
    const r = await submitLead(s, { orgId: seller.orgId, role: "seller" }, leadBody({ externalId: "crm-101" }), true);
    expect(r.status).toBe("SOLD");
    const [e] = rx.of("lead.sold");
    expect(e).toBeDefined();
    expect(e!.verified).toBe(true);
    expect(e!.body.data).toMatchObject({
      leadId: r.id,
      externalId: "crm-101",
      status: "SOLD",
      payoutCents: 700,
      vertical: "roofing",
    });
    // Never the buyer's identity, its price or bids.
    expect(e!.raw).not.toContain(contractor);
    expect(e!.raw).not.toContain(w.buyerOrgId);
    expect(e!.raw).not.toMatch(/2000|buyer|bid|price/i);
    const [row] = (await rows(seller.orgId)).filter((x) => x.leadId === r.id);
    expect(row).toMatchObject({ eventType: "lead.sold", status: "delivered", attempts: 1, webhookId: e!.id });
    // The seller's lead page says it was told.
    const page = await getLeadDetail(s, { orgId: seller.orgId, role: "seller" }, r.id);
    expect(page.events.find((x) => x.kind === "seller_webhook")?.data).toMatchObject({
      eventType: "lead.sold",
      status: "delivered",
      webhookId: e!.id,
      attempts: 1,
    });
  });

  it("sends lead.unsold with the reason when nobody buys", async () => {
    await w.t.db.update(buyers).set({ active: false });
    const r = await submitLead(s, { orgId: seller.orgId, role: "seller" }, leadBody({ externalId: "crm-102" }), true);
    expect(r.status).toBe("UNSOLD");
    const e = rx.of("lead.unsold").find((x) => x.body.data.leadId === r.id);
    expect(e?.verified).toBe(true);
    expect(e!.body.data).toMatchObject({ externalId: "crm-102", status: "UNSOLD", payoutCents: 0 });
    expect(typeof e!.body.data.unsoldReason).toBe("string");
    await w.t.db.update(buyers).set({ active: true }).where(eq(buyers.id, contractor));
  });

  it("sends lead.returned when a return is approved, with the reason and the payout reversed", async () => {
    const r = await submitLead(s, { orgId: seller.orgId, role: "seller" }, leadBody({ externalId: "crm-103" }), true);
    expect(r.status).toBe("SOLD");
    const ret = await requestReturn(s, { orgId: w.buyerOrgId, userId: null, via: "api" }, r.id, {
      reason: "INVALID_PHONE",
    });
    expect(ret.status).toBe("APPROVED");
    const e = rx.of("lead.returned").find((x) => x.body.data.leadId === r.id);
    expect(e?.verified).toBe(true);
    expect(e!.body.data).toMatchObject({
      externalId: "crm-103",
      payoutCents: 700,
      netPayoutCents: 0,
      return: { returnId: ret.id, reason: "INVALID_PHONE", payoutReversedCents: 700 },
    });
    expect(e!.raw).not.toContain(contractor);
  });

  it("retries through pg-boss while the receiver refuses, then fails, then is back: one webhook-id throughout", async () => {
    Object.assign(webhookRetry, { limit: 6, delaySeconds: 1 });
    boss = createBoss(w.t);
    await boss.start();
    s.boss = boss;
    await registerJobs(boss, s);
    await rx.stop(); // connection refused
    const before = rx.received.length;
    const sent = await api(seller).sellerWebhooks.sendTest();
    const row = async () => (await rows(seller.orgId)).find((x) => x.id === sent.id)!;
    await waitFor(async () => (await row()).attempts >= 1, 20_000);
    expect((await row()).status).toBe("failed");
    expect((await row()).lastError).toMatch(/ECONNREFUSED|refused|connect/i);
    rx.mode = "error";
    await rx.start();
    await waitFor(async () => (await row()).attempts >= 2, 20_000);
    expect((await row()).lastError).toContain("HTTP 500");
    expect((await row()).lastStatusCode).toBe(500);
    rx.mode = "ok";
    await waitFor(async () => (await row()).status === "delivered", 30_000);
    const d = await row();
    expect(d.attempts).toBeGreaterThanOrEqual(3);
    expect(d.webhookId).toBe(sent.webhookId);
    const got = rx.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ id: sent.webhookId, verified: true });
    expect(got[0]!.body.type).toBe("webhook.test");
    // The page's list shows it with its attempts.
    const list = await api(seller).sellerWebhooks.deliveries();
    expect(list.find((x) => x.id === sent.id)).toMatchObject({ status: "delivered", eventType: "webhook.test" });
    s.boss = undefined;
    // The tests below drive attempts and the sweep themselves.
    await boss.stop({ graceful: true, wait: true });
    boss = null;
  });

  it("sends one event once when two attempts race for it (the claim), and the sweep sends what nobody queued", async () => {
    const at = new Date();
    const [raced] = await w.t.db
      .insert(sellerWebhookDeliveries)
      .values({
        sellerOrgId: seller.orgId,
        eventType: "webhook.test",
        webhookId: `msg_race_${at.getTime()}`,
        body: { type: "webhook.test", timestamp: at.toISOString(), data: { test: true } },
      })
      .returning();
    const before = rx.hits;
    const both = await Promise.all([attemptSellerWebhook(s, raced!.id), attemptSellerWebhook(s, raced!.id)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(rx.hits - before).toBe(1);
    expect((await rows(seller.orgId)).find((x) => x.id === raced!.id)).toMatchObject({
      status: "delivered",
      attempts: 1,
    });

    // A row written a minute ago that no job was queued for (its process died): the sweep sends it.
    const [left] = await w.t.db
      .insert(sellerWebhookDeliveries)
      .values({
        sellerOrgId: seller.orgId,
        eventType: "webhook.test",
        webhookId: `msg_left_${at.getTime()}`,
        body: { type: "webhook.test", timestamp: at.toISOString(), data: { test: true } },
        createdAt: new Date(Date.now() - 5 * 60_000),
      })
      .returning();
    // A fresh one is left to the run that wrote it (the grace period).
    const [fresh] = await w.t.db
      .insert(sellerWebhookDeliveries)
      .values({ sellerOrgId: seller.orgId, eventType: "webhook.test", webhookId: `msg_fresh_${at.getTime()}` })
      .returning();
    expect(await sweepSellerWebhooks(s)).toBe(1);
    const after = await rows(seller.orgId);
    expect(after.find((x) => x.id === left!.id)).toMatchObject({ status: "delivered" });
    expect(after.find((x) => x.id === fresh!.id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(rx.received.some((r) => r.id === left!.webhookId && r.verified)).toBe(true);
    await w.t.db.delete(sellerWebhookDeliveries).where(eq(sellerWebhookDeliveries.id, fresh!.id));
  });

  it("keeps each seller to its own settings and deliveries; other roles cannot call them", async () => {
    expect(await api(other).sellerWebhooks.get()).toBeNull();
    expect(await api(other).sellerWebhooks.deliveries()).toEqual([]);
    await expect(api(other).sellerWebhooks.sendTest()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(api(other).sellerWebhooks.rotateSecret()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const theirs = await api(other).sellerWebhooks.save({ url: `http://127.0.0.1:${rx.port}/other` });
    expect(theirs.secret).toMatch(/^whsec_/);
    await api(other).sellerWebhooks.remove();
    expect(await api(seller).sellerWebhooks.get()).toMatchObject({ url: rx.url });
    expect((await api(seller).sellerWebhooks.deliveries()).length).toBeGreaterThanOrEqual(4);
    const buyer = await makeOrgUser(w.t.db, "contractor");
    await expect(api(buyer).sellerWebhooks.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api(buyer).sellerWebhooks.save({ url: rx.url })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a private or internal URL when saved, and keeps the URL it had", async () => {
    for (const url of [
      "http://10.1.2.3/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://metadata.internal/hook",
      "http://localhost:8080/x",
      "ftp://example.test/x",
    ]) {
      const err = await api(seller)
        .sellerWebhooks.save({ url })
        .then(
          () => null,
          (e: unknown) => e as { code: string; message: string },
        );
      expect(err, url).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await api(seller).sellerWebhooks.get()).toMatchObject({ url: rx.url });
  });

  it("an event to a URL the guard refuses at connect time ends dead at once, with the reason", async () => {
    const strict = { ...s, outbound: undefined }; // production's policy: loopback refused
    const sent = await api(seller, strict).sellerWebhooks.sendTest();
    const d = (await rows(seller.orgId)).find((x) => x.id === sent.id)!;
    expect(d).toMatchObject({ status: "dead", attempts: 1 });
    expect(d.lastError).toMatch(/private/);
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
