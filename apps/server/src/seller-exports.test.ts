// The seller portal's CSV downloads over real HTTP: a seller's session gets its own filtered
// leads as CSV (never another seller's), a month of its statement; no session is 401, another
// role 403, a bad filter 400 before anything is sent, and an API key is not a session. Times are
// on the seller's clock (this seller chose UTC; portal-time-zone.test.ts covers other zones).
import type { Services } from "@leadflow/api";
import { sha256Hex } from "@leadflow/api";
import { makeOrgUser, silentLog } from "@leadflow/api/testing";
import { insertSession, leads, sellerSources, writePayout, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock, type UserRole } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, SESSION_COOKIE } from "./app";

let t: TestDb;
let app: FastifyInstance;
let base: string;

async function signIn(db: Db, role: UserRole): Promise<{ orgId: string; cookie: string }> {
  const user = await makeOrgUser(db, role);
  const token = randomBytes(24).toString("hex");
  const now = new Date();
  await insertSession(db, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    expiresAt: new Date(now.getTime() + 3600_000),
    createdAt: now,
  });
  return { orgId: user.orgId, cookie: `${SESSION_COOKIE}=${token}` };
}

async function lead(sellerOrgId: string, externalId: string, status: "SOLD" | "UNSOLD", firstName = "Ann") {
  const [l] = await t.db
    .insert(leads)
    .values({
      sellerOrgId,
      externalId,
      vertical: "roofing",
      zip: "38103",
      status,
      unsoldReason: status === "UNSOLD" ? "NO_VALID_BIDS" : null,
      contact: { firstName, lastName: "Lee", phone: "9015550100" },
      finishedAt: new Date(),
    })
    .returning();
  if (status === "SOLD") await writePayout(t.db, { leadId: l!.id, amountCents: 1234, at: new Date(), data: {} });
  return l!.id;
}

const get = async (path: string, cookie?: string) => {
  const r = await request(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: r.statusCode, headers: r.headers, body: await r.body.text() };
};

let seller: { orgId: string; cookie: string };
let other: { orgId: string; cookie: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  seller = await signIn(t.db, "seller");
  other = await signIn(t.db, "seller");
  await t.db.insert(sellerSources).values({ sellerOrgId: seller.orgId, timeZone: "UTC" });
  ids.sold = await lead(seller.orgId, "S-1", "SOLD");
  ids.unsold = await lead(seller.orgId, 'S-2,"x"', "UNSOLD", "=2+2");
  ids.others = await lead(other.orgId, "O-1", "SOLD");
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe("GET /api/seller/leads.csv", () => {
  it("streams the seller's own leads that match the filter, as an attachment", async () => {
    const all = await get("/api/seller/leads.csv", seller.cookie);
    expect(all.status).toBe(200);
    expect(all.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(all.headers["content-disposition"]).toMatch(/^attachment; filename="leads-\d{4}-\d\d-\d\d\.csv"$/);
    expect(all.headers["cache-control"]).toBe("no-store");
    const lines = all.body.split("\r\n").filter(Boolean);
    expect(lines[0]!.startsWith("lead_id,external_id,received_at,status")).toBe(true);
    expect(lines.find((l) => l.includes(",S-1,"))).toMatch(/,S-1,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00,SOLD,/);
    expect(lines).toHaveLength(3);
    expect(all.body).toContain(ids.sold!);
    expect(all.body).toContain(`"S-2,""x"""`);
    expect(all.body).toContain(",'=2+2,");
    expect(all.body).toContain(",12.34,0.00,12.34,no");
    expect(all.body).not.toContain(ids.others!);

    const sold = await get("/api/seller/leads.csv?status=SOLD&vertical=&q=", seller.cookie);
    expect(sold.body.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(sold.body).toContain(ids.sold!);
    const byExt = await get(`/api/seller/leads.csv?externalId=${encodeURIComponent('S-2,"x"')}`, seller.cookie);
    expect(byExt.body).toContain(ids.unsold!);
    expect(byExt.body).not.toContain(ids.sold!);
    // Another seller asking for this seller's externalId gets only the header.
    const theirs = await get("/api/seller/leads.csv?externalId=S-1", other.cookie);
    expect(theirs.body.split("\r\n").filter(Boolean)).toHaveLength(1);
  });

  it("refuses no session (401), other roles (403), an API key (401) and a bad filter (400)", async () => {
    expect((await get("/api/seller/leads.csv")).status).toBe(401);
    for (const role of ["admin", "contractor", "network", "dj"] as const) {
      expect((await get("/api/seller/leads.csv", (await signIn(t.db, role)).cookie)).status, role).toBe(403);
    }
    const keyed = await request(`${base}/api/seller/leads.csv`, { headers: { authorization: "Bearer lf_x_y" } });
    expect(keyed.statusCode).toBe(401);
    await keyed.body.dump();
    const bad = await get("/api/seller/leads.csv?status=LOST&from=yesterday", seller.cookie);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("status");
    expect(bad.body).toContain("from");
  });
});

describe("GET /api/seller/statements/:month", () => {
  it("is one month of the seller's ledger with its total; a bad month is 400", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const r = await get(`/api/seller/statements/${month}`, seller.cookie);
    expect(r.status).toBe(200);
    expect(r.headers["content-disposition"]).toBe(`attachment; filename="statement-${month}.csv"`);
    const lines = r.body.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("booked_at,entry,lead_id,external_id,vertical,amount_usd");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,payout,${ids.sold},S-1,roofing,12.34`);
    expect(lines[2]).toBe("total,,,,,12.34");
    expect(r.body).not.toContain(ids.others!);
    expect((await get("/api/seller/statements/2026-13", seller.cookie)).status).toBe(400);
    expect((await get(`/api/seller/statements/${month}`)).status).toBe(401);
    expect((await get(`/api/seller/statements/${month}`, (await signIn(t.db, "network")).cookie)).status).toBe(403);
  });
});
