// Cross-site request forgery: the dashboard's API (/trpc, cookie sessions) takes a mutation only
// as JSON, and only from this site when the caller is a browser (Origin / Sec-Fetch-Site). The
// REST API (API keys, no cookies) is not concerned. Over real HTTP (undici) to a listening server.
import { createApiKey, createUser, type Services } from "@leadflow/api";
import { silentLog } from "@leadflow/api/testing";
import { apiKeys, orgs, sessions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { FormData, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, SESSION_COOKIE } from "./app";

let t: TestDb;
let app: FastifyInstance;
let base: string;
let restKey: string;
const PUBLIC_URL = "https://leads.example.test";

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, handle: t, clock: systemClock, log: silentLog, publicUrl: PUBLIC_URL };
  const [org] = await t.db.insert(orgs).values({ name: "Seller Co", kind: "seller" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  await createUser(t.db, {
    orgId: org!.id,
    email: "seller@csrf.test",
    name: "S",
    role: "seller",
    password: "s3cret-pass",
  });
  restKey = (await createApiKey(t.db, org!.id, "crm")).key;
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const keyCount = async () => (await t.db.select({ n: count() }).from(apiKeys))[0]!.n;
const sessionCount = async () => (await t.db.select({ n: count() }).from(sessions))[0]!.n;

async function post(path: string, body: string | FormData | URLSearchParams, headers: Record<string, string> = {}) {
  const form = body instanceof URLSearchParams;
  const r = await request(`${base}${path}`, {
    method: "POST",
    headers: form ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
    body: form ? body.toString() : body,
  });
  const text = await r.body.text();
  return {
    status: r.statusCode,
    headers: r.headers,
    text,
    json: () => JSON.parse(text) as { error: string; message: string },
  };
}

async function signIn(): Promise<string> {
  const r = await post("/trpc/auth.login", JSON.stringify({ email: "seller@csrf.test", password: "s3cret-pass" }), {
    "content-type": "application/json",
  });
  expect(r.status).toBe(200);
  const set = String(r.headers["set-cookie"]);
  const m = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(set);
  return `${SESSION_COOKIE}=${m![1]}`;
}

async function signedIn(cookie: string): Promise<boolean> {
  const r = await request(`${base}/trpc/auth.me`, { headers: { cookie } });
  return ((await r.body.json()) as { result: { data: unknown } }).result.data !== null;
}

const json = (cookie: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  cookie,
  ...extra,
});

describe("CSRF defence on /trpc", () => {
  it("refuses a JSON mutation from another site (Origin, Sec-Fetch-Site, Origin: null) and creates nothing", async () => {
    const cookie = await signIn();
    const before = await keyCount();
    const body = JSON.stringify({ name: "evil" });
    const crossSite: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "null" },
      { origin: `http://${new URL(base).host}.evil.example` },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      // A foreign Origin is refused even when Sec-Fetch-Site claims otherwise.
      { origin: "http://evil.example", "sec-fetch-site": "same-origin" },
    ];
    for (const extra of crossSite) {
      const r = await post("/trpc/apiKeys.create", body, json(cookie, extra));
      expect(r.status, JSON.stringify(extra)).toBe(403);
      expect(r.json()).toEqual({ error: "FORBIDDEN", message: expect.stringMatching(/Cross-site request refused/) });
    }
    // Batched, the way the dashboard's client sends it, too.
    const batched = await post(
      "/trpc/apiKeys.create?batch=1",
      JSON.stringify({ "0": { name: "evil" } }),
      json(cookie, { origin: "http://evil.example" }),
    );
    expect(batched.status).toBe(403);
    expect(await keyCount()).toBe(before);
    expect(await signedIn(cookie)).toBe(true);
  });

  it("refuses form and multipart bodies to a mutation with 415, even without Origin, and runs nothing", async () => {
    const cookie = await signIn();
    const sessionsBefore = await sessionCount();
    const form = new FormData();
    form.set("name", "x");
    const tries: [string, string | FormData | URLSearchParams, Record<string, string>][] = [
      ["/trpc/auth.logout", new URLSearchParams({ a: "1" }), { cookie }],
      ["/trpc/auth.logout", form, { cookie }],
      ["/trpc/auth.logout", "{}", { cookie, "content-type": "text/plain" }],
      ["/trpc/marketAdmin.recompute", form, { cookie }],
      ["/trpc/apiKeys.create", form, { cookie, "sec-fetch-site": "same-origin" }],
    ];
    for (const [path, body, headers] of tries) {
      const r = await post(path, body, headers);
      expect(r.status, `${path} ${String(r.headers["content-type"])}`).toBe(415);
      expect(r.json()).toEqual({
        error: "UNSUPPORTED_MEDIA_TYPE",
        message: expect.stringMatching(/JSON body \(Content-Type: application\/json\)/),
      });
    }
    // The same form from another site is a 403: the origin is checked first.
    const cross = await post("/trpc/auth.logout", new URLSearchParams({ a: "1" }), {
      cookie,
      origin: "http://evil.example",
    });
    expect(cross.status).toBe(403);
    expect(await signedIn(cookie)).toBe(true);
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it("takes a same-origin JSON mutation (Origin of the Host or of PUBLIC_URL, or Sec-Fetch-Site: same-origin) and one from a program with neither", async () => {
    const cookie = await signIn();
    const before = await keyCount();
    const sameSite: Record<string, string>[] = [
      { origin: base },
      { origin: PUBLIC_URL },
      { "sec-fetch-site": "same-origin" },
      {},
    ];
    for (const extra of sameSite) {
      const r = await post("/trpc/apiKeys.create", JSON.stringify({ name: "ok" }), json(cookie, extra));
      expect(r.status, JSON.stringify(extra)).toBe(200);
    }
    expect(await keyCount()).toBe(before + 4);
    // Queries (GET) are not concerned.
    const me = await request(`${base}/trpc/auth.me`, { headers: { cookie, origin: "http://evil.example" } });
    expect(me.statusCode).toBe(200);
    await me.body.dump();
    const out = await post("/trpc/auth.logout", "{}", json(cookie, { origin: base }));
    expect(out.status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
  });

  it("leaves the REST API (API keys) and the call webhook (form posts) alone", async () => {
    const lead = {
      vertical: "roofing",
      zip: "75201",
      contact: { firstName: "Cross", lastName: "Site", phone: "5125550111" },
    };
    const r = await post("/api/v1/leads", JSON.stringify(lead), {
      "content-type": "application/json",
      authorization: `Bearer ${restKey}`,
      origin: "http://crm.example",
    });
    expect(r.status).toBe(201);
    // Form-encoded, unsigned: refused by the webhook itself (503 without call tracking), not by the CSRF guard.
    const hook = await post("/api/calls/webhook", new URLSearchParams({ CallSid: "CA1" }), {
      origin: "http://evil.example",
    });
    expect(hook.status).not.toBe(403);
    expect(hook.status).not.toBe(415);
  });
});
