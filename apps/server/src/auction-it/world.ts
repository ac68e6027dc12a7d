// A small world for the auction's integration tests: a fresh PostgreSQL database, a seller with
// an API key, a vertical, buyer-sim on loopback, and helpers that insert buyers pointing at it.
import { createApiKey, type Services } from "@leadflow/api";
import { silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import type { BuyerSim, BuyerSimConfigInput } from "@leadflow/buyer-sim";
import { startBuyerSim } from "@leadflow/buyer-sim";
import { buyers, buyerZips, leadEvents, leads, orgs, transactions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { asc, eq } from "drizzle-orm";

export const VERTICAL = "roofing";
/** Monday 10:00 in Chicago. */
export const T0 = "2026-03-02T16:00:00Z";

export interface World {
  t: TestDb;
  s: Services;
  clock: ManualClock;
  sim: BuyerSim;
  sellerOrgId: string;
  buyerOrgId: string;
  apiKey: string;
  close(): Promise<void>;
}

export async function makeWorld(sim: BuyerSimConfigInput = {}, opts: { max?: number } = {}): Promise<World> {
  const t = await createTestDb({ max: opts.max ?? 10 });
  const clock = new ManualClock(T0);
  const s: Services = {
    db: t.db,
    handle: t,
    clock,
    log: silentLog,
    publicUrl: "http://127.0.0.1:0",
    outbound: TEST_OUTBOUND,
  };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [buyerOrg] = await t.db.insert(orgs).values({ name: "Buyers", kind: "contractor" }).returning();
  await t.db.insert(verticals).values({ key: VERTICAL, name: "Roofing", floorCents: 0 });
  const apiKey = (await createApiKey(t.db, seller!.id, "test")).key;
  const running = await startBuyerSim(sim, { clock });
  return {
    t,
    s,
    clock,
    sim: running,
    sellerOrgId: seller!.id,
    buyerOrgId: buyerOrg!.id,
    apiKey,
    async close() {
      await running.close();
      await t.drop();
    },
  };
}

type BuyerInsert = typeof buyers.$inferInsert;
let seq = 0;

/**
 * A network at sim id `simId` (configure its behaviour in the sim). Its ping deadline is the
 * longest there is (MAX_PING_PHASE_MS), so that on a busy machine a buyer that answers is never
 * recorded as a timeout; a test about deadlines sets its own.
 */
export async function addNetwork(
  w: World,
  simId: string,
  over: Partial<BuyerInsert> = {},
  zips = [{ zip: "*", priority: 1 }],
) {
  return addBuyer(
    w,
    {
      type: "NETWORK",
      name: `net ${simId}`,
      pingUrl: w.sim.pingUrl(simId),
      postUrl: w.sim.postUrl(simId),
      pingTimeoutMs: 10_000,
      ...over,
    },
    zips,
  );
}

export async function addContractor(
  w: World,
  over: Partial<BuyerInsert> = {},
  zips: { zip: string; priority: number; maxBidCents?: number | null }[] = [{ zip: "*", priority: 1 }],
) {
  return addBuyer(
    w,
    {
      type: "CONTRACTOR",
      name: `contractor ${++seq}`,
      notifyEmail: false,
      notifyWebhook: false,
      notifyDashboard: true,
      ...over,
    },
    zips,
  );
}

async function addBuyer(
  w: World,
  v: Partial<BuyerInsert>,
  zips: { zip: string; priority: number; maxBidCents?: number | null }[],
) {
  const [b] = await w.t.db
    .insert(buyers)
    .values({
      orgId: w.buyerOrgId,
      name: "buyer",
      type: "NETWORK",
      verticals: [VERTICAL],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
      ...v,
    } as BuyerInsert)
    .returning();
  if (zips.length) await w.t.db.insert(buyerZips).values(zips.map((z) => ({ buyerId: b!.id, ...z })));
  return b!.id;
}

let phone = 2_000_000;
export function leadBody(over: Record<string, unknown> = {}) {
  const n = ++phone;
  return {
    vertical: VERTICAL,
    zip: "75201",
    state: "TX",
    contact: {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: `512${String(n).padStart(7, "0")}`,
      email: `ada${n}@example.test`,
    },
    consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc123" },
    customFields: { roofAge: 12 },
    ...over,
  };
}

export async function txOf(w: World, leadId: string) {
  const rows = await w.t.db.select().from(transactions).where(eq(transactions.leadId, leadId));
  return new Map(rows.map((r) => [r.buyerId, r]));
}

export async function leadOf(w: World, leadId: string) {
  const [l] = await w.t.db.select().from(leads).where(eq(leads.id, leadId));
  return l!;
}

export async function eventsOf(w: World, leadId: string) {
  return w.t.db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(asc(leadEvents.id));
}
