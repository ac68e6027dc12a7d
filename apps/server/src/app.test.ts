import { createApiKey, createUser, type Services } from "@leadflow/api";
import { silentLog } from "@leadflow/api/testing";
import { orgs, sessions, users } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, SESSION_COOKIE } from "./app";

let t: TestDb;
let app: FastifyInstance;
let apiKey: string;

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, handle: t, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  const [org] = await t.db.insert(orgs).values({ name: "Seller Co", kind: "seller" }).returning();
  await createUser(t.db, {
    orgId: org!.id,
    email: "seller@seller.test",
    name: "S",
    role: "seller",
    password: "s3cret-pass",
  });
  apiKey = (await createApiKey(t.db, org!.id, "test")).key;
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const tally = async () => ({
  users: (await t.db.select({ n: count() }).from(users))[0]!.n,
  sessions: (await t.db.select({ n: count() }).from(sessions))[0]!.n,
});

describe("HTTP", () => {
  it("answers /healthz with what it checked and the database kind", async () => {
    const r = await app.inject({ method: "GET", url: "/healthz" });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, db: "up", queue: "none", driver: "postgres" });
  });

  it("logs in through tRPC with an HttpOnly SameSite session cookie, and out again", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/trpc/auth.login",
      payload: { email: "seller@seller.test", password: "s3cret-pass" },
    });
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const me = await app.inject({ method: "GET", url: "/trpc/auth.me", cookies: { [SESSION_COOKIE]: cookie.value } });
    expect(me.json().result.data.role).toBe("seller");
    const out = await app.inject({
      method: "POST",
      url: "/trpc/auth.logout",
      payload: {},
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    expect(out.statusCode).toBe(200);
    const after = await app.inject({
      method: "GET",
      url: "/trpc/auth.me",
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    expect(after.json().result.data).toBeNull();
  });

  it("refuses bad credentials and malformed bodies clearly, changing nothing", async () => {
    const before = await tally();
    const bad = await app.inject({
      method: "POST",
      url: "/trpc/auth.login",
      payload: { email: "seller@seller.test", password: "nope" },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toMatch(/don't match/);
    const malformed = await app.inject({ method: "POST", url: "/trpc/auth.login", payload: { email: "not-an-email" } });
    expect(malformed.statusCode).toBe(400);
    const fe = malformed.json().error.data.zodError.fieldErrors;
    expect(fe.email[0]).toMatch(/email/);
    expect(fe.password[0]).toBeTruthy();
    const junk = await app.inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(junk.statusCode).toBe(400);
    expect(await tally()).toEqual(before);
  });

  it("anonymous and wrong-role tRPC calls get 401 and 403", async () => {
    expect((await app.inject({ method: "GET", url: "/trpc/admin.orgs" })).statusCode).toBe(401);
    const r = await app.inject({
      method: "POST",
      url: "/trpc/auth.login",
      payload: { email: "seller@seller.test", password: "s3cret-pass" },
    });
    const cookie = r.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const forbidden = await app.inject({
      method: "GET",
      url: "/trpc/admin.orgs",
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it("needs a valid API key on /api/v1", async () => {
    const none = await app.inject({ method: "GET", url: "/api/v1/me" });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/Authorization: Bearer/);
    const wrong = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: "Bearer lf_00000000_nope" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toMatch(/not valid/);
    const ok = await app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${apiKey}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().orgKind).toBe("seller");
    expect(ok.body).not.toContain(apiKey);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const r = await app.inject({ method: "GET", url: "/api/v1/nope" });
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe("NOT_FOUND");
  });
});

describe("sign-in rate limit", () => {
  it("slows password guessing on one account, and answers 429 with what to do", async () => {
    const services: Services = {
      db: t.db,
      handle: t,
      clock: systemClock,
      log: silentLog,
      publicUrl: "http://127.0.0.1",
    };
    const limited = await buildApp({ services, dashboardDir: "/nonexistent", rateLimits: { loginPerAccount: 3 } });
    try {
      const attempt = (email: string) =>
        limited.inject({
          method: "POST",
          url: "/trpc/auth.login?batch=1",
          payload: { "0": { email, password: "guess" } },
        });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await attempt("seller@seller.test")).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const last = await attempt("seller@seller.test");
      expect(last.body).toMatch(/Too many sign-in attempts for this account\. Wait/);
      // Another account from the same address is not locked out by the first one's guesses.
      expect((await attempt("someone@else.test")).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
