// POST/GET /api/v1/leads over HTTP (fastify inject) on real PostgreSQL and buyer-sim.
import { closeBuyerAgent, createApiKey } from "@leadflow/api";
import { leadEvents, leads, orgs } from "@leadflow/db";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { checkAnswers, type ContractCheck } from "./openapi-check";
import { addContractor, addNetwork, leadBody, makeWorld, type World } from "../auction-it/world";

let w: World;
let app: FastifyInstance;
/** Every answer of this file, held to the OpenAPI document (rest/openapi.ts). */
let contract: ContractCheck;
let otherKey: string;
let networkKey: string;

beforeAll(async () => {
  w = await makeWorld({
    networks: { winner: { bid: { kind: "fixed", value: 22 } }, loser: { bid: { kind: "fixed", value: 12 } } },
  });
  app = await buildApp({ services: w.s, dashboardDir: "/nonexistent" });
  contract = checkAnswers(app);
  const [other] = await w.t.db.insert(orgs).values({ name: "Other seller", kind: "seller" }).returning();
  otherKey = (await createApiKey(w.t.db, other!.id, "k")).key;
  const [net] = await w.t.db.insert(orgs).values({ name: "A network", kind: "network" }).returning();
  networkKey = (await createApiKey(w.t.db, net!.id, "k")).key;
  await addNetwork(w, "winner", { name: "Winner Network" });
  await addNetwork(w, "loser", { name: "Loser Network" });
});
afterAll(async () => {
  await app?.close();
  await w?.close();
  await closeBuyerAgent();
});

const post = (payload: unknown, opts: { key?: string; url?: string } = {}) =>
  app.inject({
    method: "POST",
    url: opts.url ?? "/api/v1/leads",
    headers: { authorization: `Bearer ${opts.key ?? w.apiKey}`, "content-type": "application/json" },
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
  });

const tally = async () => ({
  leads: (await w.t.db.select({ n: count() }).from(leads))[0]!.n,
  events: (await w.t.db.select({ n: count() }).from(leadEvents))[0]!.n,
});

describe("POST /api/v1/leads", () => {
  it("refuses bad bodies with 400 and field errors, writing nothing", async () => {
    const before = await tally();
    const good = leadBody();
    const cases: [unknown, string][] = [
      [{}, "vertical"],
      [{ ...good, zip: "7520" }, "zip"],
      [{ ...good, state: "Texas" }, "state"],
      [{ ...good, contact: { ...good.contact, email: "not-an-email" } }, "contact.email"],
      [{ ...good, contact: { firstName: "A", lastName: "B" } }, "contact.phone"],
      [{ ...good, contact: { ...good.contact, phone: "123" } }, "contact.phone"],
      [{ ...good, consent: { trustedFormCertUrl: "http://insecure.example" } }, "consent.trustedFormCertUrl"],
      [{ ...good, surprise: 1 }, "(body)"],
      [{ ...good, vertical: "underwater-basket-weaving" }, "vertical"],
      [{ ...good, customFields: { "bad key!": 1 } }, "customFields.bad key!"],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error).toBe("BAD_REQUEST");
      expect(Object.keys(r.json().fieldErrors), field).toContain(field);
    }
    const malformed = await post("{not json");
    expect(malformed.statusCode).toBe(400);
    expect(await tally()).toEqual(before);
  });

  it("needs a seller's API key", async () => {
    const none = await app.inject({ method: "POST", url: "/api/v1/leads", payload: leadBody() });
    expect(none.statusCode).toBe(401);
    const net = await post(leadBody(), { key: networkKey });
    expect(net.statusCode).toBe(403);
  });

  it("answers 201 with the outcome when the source waits; GET shows it to the seller only", async () => {
    const r = await post(leadBody({ externalId: "crm-1" }), { url: "/api/v1/leads?wait=1" });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    // One rule for sellers, as in the portal: the outcome and the payout, never a buyer's identity
    // or bid, so no transactions and no sale price.
    expect(body).toMatchObject({
      created: true,
      status: "SOLD",
      outcome: { status: "SOLD", revenueCents: null, winnerCount: 1, transactions: [] },
    });
    expect(typeof body.outcome.payoutCents).toBe("number");
    for (const secret of ["Winner Network", "Loser Network", "bidCents", "priceCents"])
      expect(JSON.stringify(body)).not.toContain(secret);
    const again = await post(leadBody({ externalId: "crm-1" }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: body.id, created: false });

    const get = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${body.id}`,
      headers: { authorization: `Bearer ${w.apiKey}` },
    });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({
      id: body.id,
      status: "SOLD",
      contact: { firstName: "Ada" },
      revenueCents: null,
      transactions: [],
    });
    for (const secret of ["Winner Network", "Loser Network", "bidCents"]) expect(get.body).not.toContain(secret);
    const other = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${body.id}`,
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(other.statusCode).toBe(404);
    const junk = await app.inject({
      method: "GET",
      url: "/api/v1/leads/nope",
      headers: { authorization: `Bearer ${w.apiKey}` },
    });
    expect(junk.statusCode).toBe(404);
  });

  it("without wait answers 201 at once and the auction still finishes", async () => {
    await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 100 });
    const r = await post(leadBody());
    expect(r.statusCode).toBe(201);
    expect(r.json().outcome).toBeUndefined();
    const id = r.json().id as string;
    for (let i = 0; i < 50; i++) {
      const g = await app.inject({
        method: "GET",
        url: `/api/v1/leads/${id}`,
        headers: { authorization: `Bearer ${w.apiKey}` },
      });
      if (g.json().status === "SOLD") return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error("the background auction did not finish");
  });
});

describe("GET /api/v1/leads/:id: eligibility refusals", () => {
  it("shows the seller which rules refused its lead (consent, caps), anonymously, and not the buyers that do not serve its area", async () => {
    const strict = await addNetwork(w, "strict", { name: "Strict Network", compliance: ["JORNAYA"] });
    const full = await addNetwork(w, "full", { name: "Full Network", capDaily: 0 });
    const far = await addNetwork(w, "far", { name: "Far Network" }, [{ zip: "10001", priority: 1 }]);
    const r = await post(leadBody(), { url: "/api/v1/leads?wait=1" });
    expect(r.statusCode).toBe(201);
    const id = r.json().id as string;

    const get = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${id}`,
      headers: { authorization: `Bearer ${w.apiKey}` },
    });
    expect(get.statusCode).toBe(200);
    const body = get.json();
    const refusals = body.refusals as {
      buyerId: string | null;
      buyer: string;
      buyerType: string;
      reason: string;
      detail: string | null;
    }[];
    expect(refusals.map((x) => [x.buyerType, x.reason]).sort()).toEqual([
      ["NETWORK", "CAP_REACHED"],
      ["NETWORK", "COMPLIANCE_MISSING"],
    ]);
    for (const x of refusals)
      expect(x).toMatchObject({ buyerId: null, buyer: expect.stringMatching(/^Buyer \d+$/), detail: null });
    // One anonymous name per buyer, across transactions and refusals.
    const labels = [...body.transactions.map((t: { buyer: string }) => t.buyer), ...refusals.map((x) => x.buyer)];
    expect(new Set(labels).size).toBe(labels.length);
    const text = JSON.stringify(body);
    for (const secret of [strict, full, far, "Strict Network", "Full Network", "Far Network", "NOT_IN_AREA"])
      expect(text).not.toContain(secret);

    // The platform sees every refusal, named, with its detail.
    const platform = (await w.t.db.insert(orgs).values({ name: "Platform", kind: "platform" }).returning())[0]!;
    const adminKey = (await createApiKey(w.t.db, platform.id, "k")).key;
    const admin = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${id}`,
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(admin.json().refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          buyerId: strict,
          buyer: "Strict Network",
          reason: "COMPLIANCE_MISSING",
          detail: expect.stringContaining("JORNAYA"),
        }),
        expect.objectContaining({ buyerId: full, reason: "CAP_REACHED" }),
        expect.objectContaining({ buyerId: far, reason: "NOT_IN_AREA" }),
      ]),
    );
  });
});

describe("the published contract", () => {
  it("every answer above matched the OpenAPI document (path, method, status and body)", () => {
    expect(contract.violations).toEqual([]);
    expect(contract.checked).toBeGreaterThan(5);
  });
});
