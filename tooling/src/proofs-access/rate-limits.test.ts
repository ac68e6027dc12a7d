// Public intake and sign-in are rate limited: past the limit a 429 with Retry-After and a message
// that says what to do, and nothing written. Limits are per API key, per address, per account.
import { createApiKey, createUser, type Services } from "@leadflow/api";
import { silentLog } from "@leadflow/api/testing";
import { leads, marketLeads, orgs, sessions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, DEFAULT_RATE_LIMITS, loadConfig, SESSION_COOKIE, type RateLimitSettings } from "@leadflow/server";

let t: TestDb;
let services: Services;
let keyA: string;
let keyB: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  t = await createTestDb();
  services = { db: t.db, handle: t, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  keyA = (await createApiKey(t.db, seller!.id, "a")).key;
  keyB = (await createApiKey(t.db, seller!.id, "b")).key;
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await t?.drop();
});

async function appWith(limits: Partial<RateLimitSettings>, trustProxy?: boolean | string) {
  const app = await buildApp({
    services,
    dashboardDir: "/nonexistent",
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...limits },
    trustProxy,
  });
  apps.push(app);
  return app;
}

const lead = (n: number) => ({
  vertical: "roofing",
  zip: "75201",
  contact: { firstName: "Rate", lastName: "Limit", phone: `512555${String(n).padStart(4, "0")}` },
});
const leadCount = async () => (await t.db.select({ n: count() }).from(leads))[0]!.n;

function expect429(
  r: { statusCode: number; headers: Record<string, unknown>; json(): { error: string; message: string } },
  what: RegExp,
) {
  expect(r.statusCode).toBe(429);
  expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
  expect(Number(r.headers["retry-after"])).toBeLessThanOrEqual(60);
  expect(r.json().error).toBe("TOO_MANY_REQUESTS");
  expect(r.json().message).toMatch(what);
  expect(r.json().message).toMatch(/Wait (\d+ seconds?|1 minute) and try again\./);
}

describe("rate limits on public intake and sign-in", () => {
  it("limits leads per API key: the 4th of 3 a minute is a 429 and is not stored; another key goes on", async () => {
    const app = await appWith({ intakePerKey: 3 });
    const post = (key: string, body: unknown, ip = "203.0.113.7") =>
      app.inject({
        method: "POST",
        url: "/api/v1/leads",
        remoteAddress: ip,
        headers: { authorization: `Bearer ${key}` },
        payload: body as object,
      });
    expect((await post(keyA, lead(1))).statusCode).toBe(201);
    expect((await post(keyA, { bad: true })).statusCode).toBe(400); // refused bodies count too
    expect((await post(keyA, lead(2), "203.0.113.8")).statusCode).toBe(201); // per key, whatever the address
    const before = await leadCount();
    const over = await post(keyA, lead(3));
    expect429(over, /Too many leads through this API key/);
    expect(await leadCount()).toBe(before);
    expect((await post(keyB, lead(4))).statusCode).toBe(201);
  });

  it("counts pings and posts with the key's leads: a ping costs the buyers as much as a lead", async () => {
    const app = await appWith({ intakePerKey: 3 });
    const send = (url: string, body: unknown) =>
      app.inject({
        method: "POST",
        url,
        remoteAddress: "203.0.113.9",
        headers: { authorization: `Bearer ${keyA}` },
        payload: body as object,
      });
    // Whatever each answers (a ping of a vertical with no buyers, a post of an unknown ping), each counts.
    expect((await send("/api/v1/ping", { vertical: "roofing", zip: "75201" })).statusCode).not.toBe(429);
    expect(
      (await send("/api/v1/post", { ...lead(20), pingId: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f" })).statusCode,
    ).not.toBe(429);
    expect((await send("/api/v1/leads", lead(21))).statusCode).toBe(201);
    expect429(await send("/api/v1/ping", { vertical: "roofing", zip: "75201" }), /Too many leads through this API key/);
    expect429(
      await send("/api/v1/post", { ...lead(22), pingId: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f" }),
      /Too many leads/,
    );
  });

  it("limits intake per address whatever the key, so guessing keys is slowed too", async () => {
    const app = await appWith({ intakePerAddress: 4 });
    const post = (key: string, ip: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/leads",
        remoteAddress: ip,
        headers: { authorization: `Bearer ${key}` },
        payload: lead(9),
      });
    for (let i = 0; i < 4; i++) expect((await post(`lf_guess${i}_nope`, "198.51.100.1")).statusCode).toBe(401);
    expect429(await post(keyA, "198.51.100.1"), /Too many lead submissions from this address/);
    // A forged X-Forwarded-For from a caller that is not a trusted proxy does not reset the count.
    const forged = await app.inject({
      method: "POST",
      url: "/api/v1/leads",
      remoteAddress: "198.51.100.1",
      headers: { authorization: `Bearer ${keyA}`, "x-forwarded-for": "192.0.2.99" },
      payload: lead(10),
    });
    expect(forged.statusCode).toBe(429);
    expect((await post(keyB, "198.51.100.2")).statusCode).toBe(201);
  });

  it("limits public marketplace inquiries per address and writes nothing past the limit", async () => {
    const app = await appWith({ inquiryPerAddress: 2 });
    const inquire = (input: unknown, ip = "192.0.2.10") =>
      app.inject({
        method: "POST",
        url: "/trpc/marketPublic.inquire",
        remoteAddress: ip,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(input),
      });
    const good = {
      name: "Casey Customer",
      email: "casey@example.test",
      city: "Memphis",
      eventType: "wedding",
      eventDate: "2027-06-19",
    };
    expect((await inquire({ name: "x" })).statusCode).toBe(400);
    expect((await inquire({ ...good, email: "nope" })).statusCode).toBe(400);
    const before = (await t.db.select({ n: count() }).from(marketLeads))[0]!.n;
    expect429(await inquire(good), /Too many inquiries from this address/);
    expect((await t.db.select({ n: count() }).from(marketLeads))[0]!.n).toBe(before);
    // Another address is not affected, and a batched call is counted as well.
    expect((await inquire({ name: "x" }, "192.0.2.11")).statusCode).toBe(400);
    const batched = await app.inject({
      method: "POST",
      url: "/trpc/marketPublic.cities,marketPublic.inquire?batch=1",
      remoteAddress: "192.0.2.10",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ "1": good }),
    });
    expect(batched.statusCode).toBe(429);
  });

  it("limits sign-in per account and address with the same 429", async () => {
    const app = await appWith({ loginPerAccount: 2 });
    const attempt = () =>
      app.inject({
        method: "POST",
        url: "/trpc/auth.login",
        remoteAddress: "192.0.2.20",
        payload: { email: "who@example.test", password: "guess" },
      });
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    expect429(await attempt(), /Too many sign-in attempts for this account/);
  });

  it("counts every sign-in call in a batched request: past the limit a 429, and the right password then gets no session", async () => {
    const [org] = await t.db.insert(orgs).values({ name: "Batch Seller", kind: "seller" }).returning();
    await createUser(t.db, {
      orgId: org!.id,
      email: "batch@example.test",
      name: "B",
      role: "seller",
      password: "right-password",
    });
    const app = await appWith({ loginPerAccount: 3 });
    const sessionCount = async () => (await t.db.select({ n: count() }).from(sessions))[0]!.n;
    const before = await sessionCount();
    const batch = (paths: string[], password: (i: number) => string) =>
      app.inject({
        method: "POST",
        url: `/trpc/${paths.join(",")}?batch=1`,
        remoteAddress: "192.0.2.30",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(
          Object.fromEntries(paths.map((_, i) => [String(i), { email: "batch@example.test", password: password(i) }])),
        ),
      });
    // 3 guesses in one request are 3 attempts (one path written URL-encoded, as tRPC decodes it).
    const three = await batch(["auth.login", "auth%2Elogin", "auth.login"], (i) => `guess-${i}`);
    expect(three.statusCode).toBe(401);
    expect(three.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    // 2 more: the 4th attempt is past the limit, so the request is refused and none of it runs,
    // not even the right password in it.
    const over = await batch(["auth.login", "auth.login"], (i) => (i === 1 ? "right-password" : "guess-3"));
    expect429(over, /Too many sign-in attempts for this account/);
    expect(over.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    // Alone, the right password is still refused until the minute is over.
    const right = await batch(["auth.login"], () => "right-password");
    expect429(right, /Too many sign-in attempts for this account/);
    expect(right.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    expect(await sessionCount()).toBe(before);
  }, 120_000);

  it("limits the couple's choices and messages per address, a batch counted call by call", async () => {
    const app = await appWith({ couplePerAddress: 2 });
    const write = (path: string, ip = "192.0.2.20") =>
      app.inject({
        method: "POST",
        url: `/trpc/${path}`,
        remoteAddress: ip,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ token: "bad", djId: "x", body: "hi" }),
      });
    expect((await write("marketPublic.sendMessage")).statusCode).toBe(400);
    expect((await write("marketPublic.choose")).statusCode).toBe(400);
    expect429(await write("marketPublic.sendMessage"), /Too many messages and choices from this address/);
    expect((await write("marketPublic.choose", "192.0.2.21")).statusCode).toBe(400);
    const batch = await app.inject({
      method: "POST",
      url: "/trpc/marketPublic.choose,marketPublic.sendMessage,marketPublic.choose?batch=1",
      remoteAddress: "192.0.2.22",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({}),
    });
    expect429(batch, /Too many messages and choices/);
  });

  it("counts every inquiry call in a batched request", async () => {
    const app = await appWith({ inquiryPerAddress: 3 });
    const good = {
      name: "Batch Customer",
      email: "batch@example.test",
      city: "Memphis",
      eventType: "wedding",
      eventDate: "2027-06-19",
    };
    const before = (await t.db.select({ n: count() }).from(marketLeads))[0]!.n;
    const four = await app.inject({
      method: "POST",
      url: "/trpc/marketPublic.inquire,marketPublic.inquire,marketPublic.inquire,marketPublic.inquire?batch=1",
      remoteAddress: "192.0.2.40",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ "0": good, "1": good, "2": good, "3": good }),
    });
    expect429(four, /Too many inquiries from this address/);
    expect((await t.db.select({ n: count() }).from(marketLeads))[0]!.n).toBe(before);
  });

  it("believes no X-Forwarded-For by default, so a local process cannot reset a limit by forging one", async () => {
    const trustProxy = loadConfig({}).TRUST_PROXY;
    expect(trustProxy).toBe(false);
    for (const app of [await appWith({ intakePerAddress: 2 }, trustProxy), await appWith({ intakePerAddress: 2 })]) {
      const post = (forwardedFor: string) =>
        app.inject({
          method: "POST",
          url: "/api/v1/leads",
          remoteAddress: "127.0.0.1",
          headers: { authorization: `Bearer lf_nope_${forwardedFor}`, "x-forwarded-for": forwardedFor },
          payload: lead(20),
        });
      expect((await post("192.0.2.1")).statusCode).toBe(401);
      expect((await post("192.0.2.2")).statusCode).toBe(401);
      expect429(await post("192.0.2.3"), /Too many lead submissions from this address/);
    }
    // Told to trust the loopback proxy, it does: each forwarded address counts on its own.
    const behindProxy = await appWith({ intakePerAddress: 2 }, "loopback");
    for (const ip of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) {
      const r = await behindProxy.inject({
        method: "POST",
        url: "/api/v1/leads",
        remoteAddress: "127.0.0.1",
        headers: { authorization: "Bearer lf_nope", "x-forwarded-for": ip },
        payload: lead(21),
      });
      expect(r.statusCode).toBe(401);
    }
  });

  it("has defaults generous enough for the demo and 300+ leads/s from one key, and reads them from the environment", () => {
    const c = loadConfig({});
    expect(c.INTAKE_RATE_LIMIT_PER_KEY).toBe(DEFAULT_RATE_LIMITS.intakePerKey);
    expect(c.INTAKE_RATE_LIMIT_PER_KEY).toBeGreaterThanOrEqual(300 * 60 * 2);
    expect(c.INTAKE_RATE_LIMIT_PER_ADDRESS).toBeGreaterThanOrEqual(c.INTAKE_RATE_LIMIT_PER_KEY);
    expect(loadConfig({ INTAKE_RATE_LIMIT_PER_KEY: "500", INQUIRY_RATE_LIMIT: "5" })).toMatchObject({
      INTAKE_RATE_LIMIT_PER_KEY: 500,
      INQUIRY_RATE_LIMIT: 5,
    });
    expect(() => loadConfig({ INQUIRY_RATE_LIMIT: "0" })).toThrow(/INQUIRY_RATE_LIMIT/);
  });
});
