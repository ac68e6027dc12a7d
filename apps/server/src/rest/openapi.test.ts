// The published contract (docs/api.md, issue 15 item 5): every /api/v1 route the server registers is
// in the OpenAPI document and nothing else is, the document is served publicly and as a page, its
// schemas compile as JSON Schema 2020-12, and the answer check the REST tests install can fail.
// Answers of the REST integration tests are validated against it in those tests (checkAnswers in
// leads.test.ts, returns.test.ts, auction-it/ping-post.test.ts); this file walks every route once more.
import { closeBuyerAgent } from "@leadflow/api";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { addNetwork, leadBody, makeWorld, type World } from "../auction-it/world";
import { buildOpenApiDocument, openApiPath, OPERATIONS } from "./openapi";
import { checkAnswers, ContractValidator, CONTRACT_ROUTES, routesOf, type ContractCheck } from "./openapi-check";

let w: World;
let app: FastifyInstance;
let contract: ContractCheck;

beforeAll(async () => {
  w = await makeWorld({ networks: { winner: { bid: { kind: "fixed", value: 22 } } } });
  app = await buildApp({ services: w.s, dashboardDir: "/nonexistent" });
  contract = checkAnswers(app);
  await addNetwork(w, "winner", { name: "Winner Network" });
});
afterAll(async () => {
  await app?.close();
  await w?.close();
  await closeBuyerAgent();
});

const bearer = () => ({ authorization: `Bearer ${w.apiKey}` });

describe("the OpenAPI document", () => {
  it("lists exactly the /api/v1 routes the server registers (the contract's own two aside)", () => {
    const registered = routesOf(app)
      .filter((r) => r.split(" ")[1]!.startsWith("/api/v1/"))
      .filter((r) => !CONTRACT_ROUTES.has(r.split(" ")[1]!));
    expect(registered.length).toBeGreaterThanOrEqual(7);
    const doc = buildOpenApiDocument("http://127.0.0.1");
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      registered.map((r) => r.replace(/ (.*)$/, (_, p: string) => ` ${openApiPath(p)}`)).sort(),
    );
    // The contract's own routes are registered too (and are what this file serves below).
    for (const r of CONTRACT_ROUTES) expect(routesOf(app)).toContain(`GET ${r}`);
  });

  it("is served at /api/v1/openapi.json without a key, as OpenAPI 3.1 with the API key schemes", async () => {
    const r = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    const doc = r.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(w.s.publicUrl))));
    expect(doc.components.securitySchemes).toMatchObject({
      bearerKey: { type: "http", scheme: "bearer" },
      headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
    });
    for (const item of Object.values(doc.paths) as Record<string, { security: unknown[]; responses: object }>[])
      for (const op of Object.values(item)) {
        expect(op.security).toEqual([{ bearerKey: [] }, { headerKey: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["400", "401", "500", "503"]));
      }
    const post = doc.paths["/api/v1/post"].post.responses;
    expect(Object.keys(post).sort()).toEqual(
      ["201", "400", "401", "403", "404", "409", "410", "413", "415", "422", "429", "500", "503"].sort(),
    );
    expect(post["409"].content["application/json"].schema.properties.error.enum.sort()).toEqual([
      "CONFLICT",
      "PING_NOT_ACCEPTED",
      "PING_USED",
    ]);
  });

  it("compiles: every request and answer schema is valid JSON Schema 2020-12 with its references resolved", () => {
    const v = new ContractValidator();
    for (const { method, path, op } of OPERATIONS)
      for (const status of Object.keys(op.responses ?? {}))
        // An empty object is never a valid answer: the schema compiled and said no.
        expect(
          v.problems(method.toUpperCase(), path, Number(status), {}).length,
          `${method} ${path} ${status}`,
        ).toBeGreaterThan(0);
  });

  it("is rendered as a page at /api/v1/docs: every operation, the schemes, no script", async () => {
    const r = await app.inject({ method: "GET", url: "/api/v1/docs" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/html/);
    expect(r.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(r.body).not.toMatch(/<script/i);
    expect(r.body).toContain('href="openapi.json"');
    for (const { method, path } of OPERATIONS)
      expect(r.body).toContain(`${method.toUpperCase()}</span> <code>${openApiPath(path)}</code>`);
    expect(r.body).toContain("X-API-Key");
    expect(r.body).toContain('id="schema-PingAnswer"');
  });
});

describe("the answer check", () => {
  const v = new ContractValidator();
  it("passes an answer the document describes and names what is wrong with one it does not", () => {
    const good = {
      pingId: "5e0c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f",
      accepted: true,
      payoutCents: 1500,
      expiresAt: "2026-03-02T16:01:00.000Z",
    };
    expect(v.problems("POST", "/api/v1/ping", 200, good)).toEqual([]);
    expect(v.problems("POST", "/api/v1/ping", 200, { ...good, payoutCents: -1 }).join()).toMatch(/payoutCents/);
    expect(v.problems("POST", "/api/v1/ping", 200, { ...good, secret: 1 }).join()).toMatch(/additional/);
    expect(v.problems("POST", "/api/v1/ping", 200, { ...good, expiresAt: "tomorrow" }).join()).toMatch(/expiresAt/);
    expect(v.problems("POST", "/api/v1/ping", 418, good).join()).toMatch(/does not list/);
    expect(v.problems("DELETE", "/api/v1/ping", 200, good).join()).toMatch(/not in the document/);
    expect(v.problems("POST", "/api/v1/post", 410, { error: "PING_EXPIRED", message: "m" })).toEqual([]);
    expect(v.problems("POST", "/api/v1/post", 410, { error: "PING_USED", message: "m" }).join()).toMatch(/error/);
  });

  it("holds every route's answers, a success and the refusals, to the document", async () => {
    const statuses: string[] = [];
    const call = async (method: "GET" | "POST", url: string, payload?: unknown, headers = bearer()) => {
      const r = await app.inject({
        method,
        url,
        headers: { ...headers, ...(payload !== undefined ? { "content-type": "application/json" } : {}) },
        ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
      });
      statuses.push(`${method} ${url.replace(/[0-9a-f-]{36}/, ":id").split("?")[0]} ${r.statusCode}`);
      return r;
    };
    await call("GET", "/api/v1/me");
    await call("GET", "/api/v1/me", undefined, { authorization: "Bearer lf_nope_nope" });
    const sold = await call("POST", "/api/v1/leads?wait=1", leadBody());
    const id = sold.json().id as string;
    await call("POST", "/api/v1/leads", { vertical: "roofing" });
    await call("GET", `/api/v1/leads/${id}`);
    await call("GET", "/api/v1/leads/00000000-0000-4000-8000-000000000000");
    const { contact: _c, ...partial } = leadBody();
    const ping = await call("POST", "/api/v1/ping", partial);
    await call("POST", "/api/v1/ping", { ...partial, contact: { firstName: "A" } });
    await call("POST", "/api/v1/post", { ...leadBody(), pingId: ping.json().pingId });
    await call("POST", "/api/v1/post", { ...leadBody(), pingId: ping.json().pingId });
    await call("POST", `/api/v1/leads/${id}/return`, { reason: "INVALID_PHONE" });
    await call("GET", `/api/v1/leads/${id}/return`);
    expect(statuses).toEqual([
      "GET /api/v1/me 200",
      "GET /api/v1/me 401",
      "POST /api/v1/leads 201",
      "POST /api/v1/leads 400",
      "GET /api/v1/leads/:id 200",
      "GET /api/v1/leads/:id 404",
      "POST /api/v1/ping 200",
      "POST /api/v1/ping 400",
      "POST /api/v1/post 201",
      "POST /api/v1/post 409",
      "POST /api/v1/leads/:id/return 403",
      "GET /api/v1/leads/:id/return 403",
    ]);
    expect(contract.violations).toEqual([]);
    expect(contract.checked).toBe(statuses.length);
  });
});
