// A buyer's statement downloads over real HTTP: its own buyer's month as CSV and PDF, another
// org's buyer 404, no session 401, a seller 403, a bad month 400.
import type { Services } from "@leadflow/api";
import { sha256Hex } from "@leadflow/api";
import { makeOrgUser, silentLog } from "@leadflow/api/testing";
import { buyers, insertSession, insertTopUp, type Db } from "@leadflow/db";
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

const get = async (path: string, cookie?: string) => {
  const r = await request(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: r.statusCode, headers: r.headers, body: Buffer.from(await r.body.arrayBuffer()) };
};

let buyer: { orgId: string; cookie: string };
let other: { orgId: string; cookie: string };
let buyerId: string;
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  buyer = await signIn(t.db, "contractor");
  other = await signIn(t.db, "contractor");
  const [b] = await t.db
    .insert(buyers)
    .values({ orgId: buyer.orgId, name: "Statement Roofing", type: "CONTRACTOR", billingMode: "PREPAID" })
    .returning();
  buyerId = b!.id;
  await insertTopUp(t.db, { buyerId, amountCents: 12_345, note: 'wire, "march"', key: "st-1", by: null });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe("GET /api/billing/statements/:buyerId/:month.(csv|pdf)", () => {
  it("gives the buyer its own month as CSV and as PDF", async () => {
    const csv = await get(`/api/billing/statements/${buyerId}/${month}.csv`, buyer.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="statement-${month}.csv"`);
    const lines = csv.body.toString().trim().split("\r\n");
    expect(lines[2]).toMatch(/,TOP_UP,"Top-up \(wire, ""march""\)",123\.45,123\.45$/);
    expect(lines.at(-1)).toMatch(/,CLOSING,Closing balance,,123\.45$/);
    const pdf = await get(`/api/billing/statements/${buyerId}/${month}.pdf`, buyer.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("refuses everyone else", async () => {
    expect((await get(`/api/billing/statements/${buyerId}/${month}.csv`)).status).toBe(401);
    expect((await get(`/api/billing/statements/${buyerId}/${month}.csv`, other.cookie)).status).toBe(404);
    expect(
      (await get(`/api/billing/statements/${buyerId}/${month}.csv`, (await signIn(t.db, "seller")).cookie)).status,
    ).toBe(403);
    expect((await get(`/api/billing/statements/${buyerId}/2026-13.csv`, buyer.cookie)).status).toBe(400);
    expect((await get(`/api/billing/statements/${buyerId}/${month}.xls`, buyer.cookie)).status).toBe(400);
    expect((await get(`/api/billing/statements/not-a-uuid/${month}.csv`, buyer.cookie)).status).toBe(400);
  });
});
