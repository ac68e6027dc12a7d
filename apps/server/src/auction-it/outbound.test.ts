// Connect time: the outbound guard refuses a buyer whose URL reaches a private address, whatever
// was saved. The buyers here point at buyer-sim on loopback through a name (*.rebind.test) that
// resolves to 127.0.0.1 (a DNS answer that changed after the URL was saved, as in DNS rebinding),
// or at 127.0.0.1 itself. Under production's policy nothing reaches the simulator, and the refusal
// is recorded on the transaction (pings, posts) and on the delivery (webhooks). With loopback on
// the allow-list, the same buyers are reached.
import {
  attemptWebhook,
  closeBuyerAgent,
  createLead,
  outboundPolicy,
  parseIntake,
  runAuction,
  submitLead,
  type Services,
} from "@leadflow/api";
import { testResolve, TEST_OUTBOUND } from "@leadflow/api/testing";
import { buyers, deliveries } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { addContractor, addNetwork, leadBody, makeWorld, txOf, type World } from "./world";

let w: World;
/** Production's policy (OUTBOUND_ALLOW empty); *.test names resolve to 127.0.0.1 (testing.ts). */
let strict: Services;
/** The same with loopback allowed, as the demo and the tests run. */
let allowed: Services;
beforeAll(async () => {
  w = await makeWorld({ networks: { rebound: { bid: { kind: "fixed", value: 30 } } } });
  strict = { ...w.s, outbound: outboundPolicy("", testResolve) };
  allowed = { ...w.s, outbound: TEST_OUTBOUND };
});
beforeEach(async () => {
  await w.t.db.update(buyers).set({ active: false });
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

const viaName = (url: string) => url.replace("127.0.0.1", "buyer.rebind.test");
const seller = () => ({ orgId: w.sellerOrgId, role: "seller" as const });

describe("pings and posts", () => {
  it("refuses a network whose ping URL resolves to 127.0.0.1: nothing reaches it, the transaction says why", async () => {
    const id = await addNetwork(w, "rebound", {
      pingUrl: viaName(w.sim.pingUrl("rebound")),
      postUrl: viaName(w.sim.postUrl("rebound")),
    });
    const before = w.sim.stats().totals.pings;
    const { id: leadId } = await createLead(strict, w.sellerOrgId, parseIntake(leadBody()));
    await runAuction(strict, leadId);
    const tx = (await txOf(w, leadId)).get(id)!;
    expect(tx.error).toBe("refused: address 127.0.0.1 is private (loopback), resolved from buyer.rebind.test");
    expect(tx.isWinner).toBe(false);
    expect(w.sim.stats().totals.pings).toBe(before);
  });

  it("refuses 127.0.0.1 written in the URL itself", async () => {
    const id = await addNetwork(w, "rebound");
    const before = w.sim.stats().totals.pings;
    const { id: leadId } = await createLead(strict, w.sellerOrgId, parseIntake(leadBody()));
    await runAuction(strict, leadId);
    expect((await txOf(w, leadId)).get(id)!.error).toBe("refused: address 127.0.0.1 is private (loopback)");
    expect(w.sim.stats().totals.pings).toBe(before);
  });

  it("reaches the same network when the allow-list lets loopback through", async () => {
    const id = await addNetwork(w, "rebound", {
      pingUrl: viaName(w.sim.pingUrl("rebound")),
      postUrl: viaName(w.sim.postUrl("rebound")),
    });
    const before = w.sim.stats().totals;
    const { id: leadId } = await createLead(allowed, w.sellerOrgId, parseIntake(leadBody()));
    await runAuction(allowed, leadId);
    expect((await txOf(w, leadId)).get(id)).toMatchObject({ isWinner: true, error: null });
    expect(w.sim.stats().totals.pings).toBe(before.pings + 1);
    expect(w.sim.stats().totals.posts).toBe(before.posts + 1);
  });
});

describe("webhooks", () => {
  async function webhookContractor(simId: string) {
    const key = `whsec_${randomBytes(24).toString("base64")}`;
    w.sim.setBuyer(simId, { kind: "contractor", secret: key });
    return addContractor(w, {
      pricingModel: "FIXED",
      fixedLeadPriceCents: 2000,
      notifyDashboard: false,
      notifyWebhook: true,
      webhookUrl: viaName(w.sim.webhookUrl(simId)),
      webhookSecret: key,
    });
  }

  it("refuses a webhook whose host resolves to 127.0.0.1: dead at once with the reason, nothing received", async () => {
    await webhookContractor("crm-rebound");
    const r = await submitLead(strict, seller(), leadBody(), true);
    const [d] = await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id));
    expect(d).toMatchObject({
      method: "WEBHOOK",
      status: "dead",
      attempts: 1,
      lastError: "refused: address 127.0.0.1 is private (loopback), resolved from buyer.rebind.test",
    });
    expect(w.sim.stats().contractors["crm-rebound"]?.received ?? []).toHaveLength(0);
  });

  it("delivers it when the allow-list lets loopback through", async () => {
    await webhookContractor("crm-allowed");
    const r = await submitLead(strict, seller(), leadBody(), true);
    const [d] = await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id));
    expect(d!.status).toBe("dead");
    // The same delivery, retried under the allow-list (an operator set OUTBOUND_ALLOW): delivered.
    await w.t.db.update(deliveries).set({ status: "failed" }).where(eq(deliveries.id, d!.id));
    await attemptWebhook(allowed, d!.id);
    const [after] = await w.t.db.select().from(deliveries).where(eq(deliveries.id, d!.id));
    expect(after!.status).toBe("delivered");
    expect(w.sim.stats().contractors["crm-allowed"]!.received).toHaveLength(1);
  });
});

describe("OUTBOUND_ALLOW", () => {
  it("is empty by default (production refuses everything private) and a bad entry stops the start", () => {
    expect(outboundPolicy(loadConfig({}).OUTBOUND_ALLOW).allow).toEqual([]);
    expect(
      outboundPolicy(loadConfig({ OUTBOUND_ALLOW: "10.20.0.0/16, crm.corp.example" }).OUTBOUND_ALLOW).allow,
    ).toHaveLength(2);
    expect(() => loadConfig({ OUTBOUND_ALLOW: "10.0.0.0/99" })).toThrow(/OUTBOUND_ALLOW: "10.0.0.0\/99" is not a CIDR/);
  });
});
