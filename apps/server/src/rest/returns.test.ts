// POST /api/v1/leads/:id/return over HTTP (fastify inject) on real PostgreSQL: a buyer's API key
// returns a lead its organisation bought; bad bodies, other keys and repeats get clear 4xx answers.
import { createApiKey } from "@leadflow/api";
import { addBuyer, addSeller, revenueOf, silentLog, soldLead } from "@leadflow/api/testing";
import { orgs, returnRequests } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { checkAnswers, type ContractCheck } from "./openapi-check";

let t: TestDb;
let app: FastifyInstance;
/** Every answer of this file, held to the OpenAPI document (rest/openapi.ts). */
let contract: ContractCheck;
const clock = new ManualClock("2026-03-16T15:00:00Z");
let buyerKey: string;
let sellerKey: string;
let otherBuyerKey: string;
let leadId: string;
let seller: string;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildApp({
    services: { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0" },
    dashboardDir: "/nonexistent",
  });
  contract = checkAnswers(app);
  seller = await addSeller(t.db);
  sellerKey = (await createApiKey(t.db, seller, "k")).key;
  const [net] = await t.db.insert(orgs).values({ name: "HomeQuote", kind: "network" }).returning();
  const [other] = await t.db.insert(orgs).values({ name: "Other network", kind: "network" }).returning();
  buyerKey = (await createApiKey(t.db, net!.id, "k")).key;
  otherBuyerKey = (await createApiKey(t.db, other!.id, "k")).key;
  const buyer = await addBuyer(t.db, net!.id, {
    type: "NETWORK",
    pingUrl: "http://127.0.0.1:1/ping",
    postUrl: "http://127.0.0.1:1/post",
  });
  for (let i = 0; i < 19; i++)
    await soldLead(
      t.db,
      seller,
      [{ buyerId: buyer.id, priceCents: 2000 }],
      new Date(clock.now().getTime() - 86_400_000),
    );
  leadId = await soldLead(
    t.db,
    seller,
    [{ buyerId: buyer.id, priceCents: 2750 }],
    new Date(clock.now().getTime() - 86_400_000),
  );
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const ret = (id: string, body: unknown, key = buyerKey) =>
  app.inject({
    method: "POST",
    url: `/api/v1/leads/${id}/return`,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    payload: JSON.stringify(body),
  });

describe("POST /api/v1/leads/:id/return", () => {
  it("refuses bad bodies with 400 and field errors, writing nothing", async () => {
    for (const [body, field] of [
      [{}, "reason"],
      [{ reason: "NOPE" }, "reason"],
      [{ reason: "OTHER" }, "comment"],
      [{ reason: "FAKE_OR_TEST", extra: 1 }, ""],
    ] as const) {
      const res = await ret(leadId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      if (field) expect(Object.keys(res.json().fieldErrors ?? {})).toContain(field);
    }
    expect(await t.db.select().from(returnRequests)).toEqual([]);
  });

  it("answers 401 without a key, 403 for a seller's key, 404 for a lead the caller did not buy", async () => {
    expect(
      (await app.inject({ method: "POST", url: `/api/v1/leads/${leadId}/return`, payload: { reason: "FAKE_OR_TEST" } }))
        .statusCode,
    ).toBe(401);
    expect((await ret(leadId, { reason: "FAKE_OR_TEST" }, sellerKey)).statusCode).toBe(403);
    const notMine = await ret(leadId, { reason: "FAKE_OR_TEST" }, otherBuyerKey);
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().message).toMatch(/^You did not buy this lead/);
    expect((await ret("not-a-uuid", { reason: "FAKE_OR_TEST" })).statusCode).toBe(404);
  });

  it("returns a bought lead: 201 with the credit, then 409 on a second try", async () => {
    const res = await ret(leadId, { reason: "OTHER", comment: "wrong number, says the person who answered" });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ leadId, status: "APPROVED", rule: "WITHIN_CAP", creditedCents: 2750 });
    expect(await revenueOf(t.db, leadId)).toBe(0);
    const [row] = await t.db.select().from(returnRequests).where(eq(returnRequests.leadId, leadId));
    expect(row).toMatchObject({
      via: "api",
      reason: "OTHER",
      comment: "wrong number, says the person who answered",
      requestedBy: null,
    });
    const status = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${leadId}/return`,
      headers: { authorization: `Bearer ${buyerKey}` },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json().returns).toEqual([
      expect.objectContaining({ leadId, status: "APPROVED", reason: "OTHER", creditedCents: 2750 }),
    ]);
    expect(
      (
        await app.inject({
          method: "GET",
          url: `/api/v1/leads/${leadId}/return`,
          headers: { authorization: `Bearer ${otherBuyerKey}` },
        })
      ).statusCode,
    ).toBe(404);
    const again = await ret(leadId, { reason: "FAKE_OR_TEST" });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: "CONFLICT",
      message: expect.stringContaining("a sale can be returned once"),
    });
  });

  it("answers 202 when the request waits for an admin, and 403 once the window has closed", async () => {
    // 20 leads at 15%: 3 returns without an admin; this buyer has used 1.
    const ids = (await t.db.execute(
      sql`select t.lead_id from transactions t left join return_requests r on r.sale_id = t.id where r.id is null order by t.lead_id limit 3`,
    )) as unknown as { lead_id: string }[];
    expect((await ret(ids[0]!.lead_id, { reason: "FAKE_OR_TEST" })).statusCode).toBe(201);
    expect((await ret(ids[1]!.lead_id, { reason: "FAKE_OR_TEST" })).statusCode).toBe(201);
    const held = await ret(ids[2]!.lead_id, { reason: "FAKE_OR_TEST" });
    expect(held.statusCode).toBe(202);
    expect(held.json()).toMatchObject({ status: "PENDING", rule: "OVER_CAP", creditedCents: null });
    clock.advance(7 * 86_400_000);
    const fresh = (await t.db.execute(
      sql`select t.lead_id from transactions t left join return_requests r on r.sale_id = t.id where r.id is null limit 1`,
    )) as unknown as { lead_id: string }[];
    const closed = await ret(fresh[0]!.lead_id, { reason: "FAKE_OR_TEST" });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().message).toMatch(/the 7-day return window closed at/);
  });
});

describe("the published contract", () => {
  it("every answer above matched the OpenAPI document (path, method, status and body)", () => {
    expect(contract.violations).toEqual([]);
    expect(contract.checked).toBeGreaterThan(5);
  });
});
