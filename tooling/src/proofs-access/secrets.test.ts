// Secrets never come back out: a run that signs in (right and wrong passwords), creates API keys,
// sends leads with them (and with a forged one), sets and rotates webhook signing secrets and takes
// a signed voice webhook, with every log line at trace level captured. No password, API key, session
// token, webhook secret, provider token or stored hash may appear in any log line, nor in any
// answer, except the one answer that shows a newly created key or secret once.
// It logs through the server's one logger (log.ts); secrets-outage.test.ts covers failed queries.
import { createUser, defaultCallSettings, expectedTwilioSignature, type Services } from "@leadflow/api";
import { buyers, orgs, verticals } from "@leadflow/db";
import { TEST_OUTBOUND } from "@leadflow/api/testing";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, createLogger } from "@leadflow/server";

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

let t: TestDb;
let app: FastifyInstance;
const PUBLIC_URL = "https://secrets.leadflow.test";
const TWILIO_TOKEN = "twilio-auth-token-secret-0123456789";
const PASSWORDS = {
  seller: "seller-password-correct-horse",
  contractor: "contractor-password-battery",
  admin: "admin-password-staple-99",
};
const WRONG_PASSWORD = "wrong-password-guess-4711";
const SET_SECRET = "whsec_c2V0LWJ5LXRoZS1jb250cmFjdG9yLTEyMzQ1Njc4";
/** A network's request-template auth secret (docs/request-templates.md): sent to the buyer, never shown. */
const TEMPLATE_SECRET = "template-bearer-token-9f8e7d6c";

beforeAll(async () => {
  t = await createTestDb();
  const log = createLogger("trace", sink);
  const services: Services = {
    db: t.db,
    handle: t,
    clock: systemClock,
    log,
    publicUrl: PUBLIC_URL,
    outbound: TEST_OUTBOUND,
  };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [con] = await t.db.insert(orgs).values({ name: "Roofer", kind: "contractor" }).returning();
  const [platform] = await t.db.insert(orgs).values({ name: "Platform", kind: "platform" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  await t.db.insert(buyers).values({
    orgId: con!.id,
    name: "Roofer",
    type: "CONTRACTOR",
    verticals: ["roofing"],
    timeZone: "America/Chicago",
  });
  const [net] = await t.db.insert(orgs).values({ name: "Network", kind: "network" }).returning();
  await t.db.insert(buyers).values({
    orgId: net!.id,
    name: "Network",
    type: "NETWORK",
    verticals: ["roofing"],
    timeZone: "America/Chicago",
    pingUrl: "https://net.test/ping",
    postUrl: "https://net.test/post",
  });
  await createUser(t.db, {
    orgId: seller!.id,
    email: "seller@secrets.test",
    name: "S",
    role: "seller",
    password: PASSWORDS.seller,
  });
  await createUser(t.db, {
    orgId: con!.id,
    email: "roofer@secrets.test",
    name: "C",
    role: "contractor",
    password: PASSWORDS.contractor,
  });
  await createUser(t.db, {
    orgId: platform!.id,
    email: "admin@secrets.test",
    name: "A",
    role: "admin",
    password: PASSWORDS.admin,
  });
  app = await buildApp({
    services,
    dashboardDir: "/nonexistent",
    calls: defaultCallSettings({ authToken: TWILIO_TOKEN, callerHashSecret: "h".repeat(64) }),
  });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe("secrets in answers and logs", () => {
  it("shows a new key or secret once, and never again in any answer or any log line", async () => {
    const answers: { what: string; body: string }[] = [];
    const secrets: string[] = [...Object.values(PASSWORDS), WRONG_PASSWORD, SET_SECRET, TWILIO_TOKEN, TEMPLATE_SECRET];
    const send = async (what: string, opts: InjectOptions, oneTime?: (body: string) => string[]) => {
      const r = await app.inject(opts);
      // A key or secret shown at creation is the one allowed appearance; later answers are checked.
      if (oneTime) secrets.push(...oneTime(r.body));
      else answers.push({ what, body: `${JSON.stringify(r.headers)}\n${r.body}` });
      return r;
    };
    const trpc = (
      what: string,
      path: string,
      cookie: string,
      input?: unknown,
      method: "GET" | "POST" = "POST",
      oneTime?: (body: string) => string[],
    ) =>
      send(
        what,
        method === "GET"
          ? {
              method,
              url: `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
              headers: { cookie },
            }
          : {
              method,
              url: `/trpc/${path}`,
              headers: { cookie, "content-type": "application/json" },
              payload: JSON.stringify(input ?? {}),
            },
        oneTime,
      );

    // Sign in: the session token arrives in Set-Cookie once; a wrong password is refused.
    const cookies: Record<string, string> = {};
    for (const [role, email] of [
      ["seller", "seller@secrets.test"],
      ["contractor", "roofer@secrets.test"],
      ["admin", "admin@secrets.test"],
    ] as const) {
      // Its Set-Cookie is the token's one appearance; the body is checked here.
      const r = await send(
        `login ${role}`,
        { method: "POST", url: "/trpc/auth.login", payload: { email, password: PASSWORDS[role] } },
        () => [],
      );
      expect(r.statusCode).toBe(200);
      const token = /lf_session=([^;]+)/.exec(String(r.headers["set-cookie"]))![1]!;
      secrets.push(token, createHash("sha256").update(token).digest("hex"));
      cookies[role] = `lf_session=${token}`;
      expect(r.body).not.toContain(PASSWORDS[role]);
      expect(r.body).not.toContain("scrypt");
    }
    expect(
      (
        await send("wrong password", {
          method: "POST",
          url: "/trpc/auth.login",
          payload: { email: "seller@secrets.test", password: WRONG_PASSWORD },
        })
      ).statusCode,
    ).toBe(401);

    // API keys: shown once at creation.
    let apiKey = "";
    const created = await trpc("create key", "apiKeys.create", cookies.seller!, { name: "CRM" }, "POST", (body) => {
      apiKey = (JSON.parse(body) as { result: { data: { key: string } } }).result.data.key;
      return [apiKey, apiKey.split("_").at(-1)!, createHash("sha256").update(apiKey).digest("hex")];
    });
    expect(created.statusCode).toBe(200);
    expect(apiKey).toMatch(/^lf_/);
    const bearer = { authorization: `Bearer ${apiKey}` };
    expect(
      (
        await send("lead with key", {
          method: "POST",
          url: "/api/v1/leads?wait=1",
          headers: bearer,
          payload: {
            vertical: "roofing",
            zip: "38103",
            contact: { firstName: "A", lastName: "B", phone: "9015550100" },
          },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await send("bad lead with key", {
          method: "POST",
          url: "/api/v1/leads",
          headers: bearer,
          payload: { vertical: "roofing" },
        })
      ).statusCode,
    ).toBe(400);
    expect((await send("me", { method: "GET", url: "/api/v1/me", headers: bearer })).statusCode).toBe(200);
    const forged = `${apiKey.slice(0, -4)}AAAA`;
    secrets.push(forged);
    expect(
      (
        await send("forged key", {
          method: "POST",
          url: "/api/v1/leads",
          headers: { authorization: `Bearer ${forged}` },
          payload: {},
        })
      ).statusCode,
    ).toBe(401);

    // A network's request template with bearer auth: the token is stored, never answered back.
    const [n] = await t.db.select({ id: buyers.id }).from(buyers).where(eq(buyers.type, "NETWORK"));
    const template = { ping: null, post: null, auth: { kind: "BEARER" } };
    const setTemplate = await trpc("set template secret", "buyers.setRequestTemplate", cookies.admin!, {
      id: n!.id,
      requestTemplate: template,
      requestAuthSecret: TEMPLATE_SECRET,
    });
    expect(setTemplate.statusCode).toBe(200);
    expect(setTemplate.body).toContain('"hasRequestAuthSecret":true');

    // Webhook signing secrets: one the contractor sets, one generated on rotation (shown once).
    const [b] = await t.db.select({ id: buyers.id }).from(buyers).where(eq(buyers.type, "CONTRACTOR"));
    const settings = {
      id: b!.id,
      timeZone: "America/Chicago",
      hours: null,
      capDaily: null,
      capWeekly: null,
      capMonthly: null,
      duplicateLookbackDays: 0,
      serviceZips: [{ zip: "38103", priority: 1 }],
      deliveryMode: "EXCLUSIVE",
      maxSharedLeads: 1,
      pricingModel: "AUCTION",
      fixedLeadPriceCents: null,
      maxBidCents: 4000,
      sharedPriceCents: null,
      deliveryMethods: ["WEBHOOK"],
      notificationEmail: null,
      webhookUrl: "https://crm.roofer.test/hook",
    };
    expect(
      (
        await trpc("set webhook secret", "buyers.updateSettings", cookies.contractor!, {
          ...settings,
          webhookSecret: SET_SECRET,
        })
      ).statusCode,
    ).toBe(200);
    const rotated = await trpc(
      "rotate",
      "buyers.rotateWebhookSecret",
      cookies.contractor!,
      { id: b!.id },
      "POST",
      (body) => [(JSON.parse(body) as { result: { data: { webhookSecret: string } } }).result.data.webhookSecret],
    );
    expect(rotated.statusCode).toBe(200);
    expect((await trpc("settings again", "buyers.updateSettings", cookies.contractor!, settings)).statusCode).toBe(200);

    // The voice provider's token signs its webhooks; a bad signature is logged, the token is not.
    const form = { CallSid: `CA${"1".repeat(32)}`, From: "+19015550123", To: "+19015550177", CallStatus: "ringing" };
    const body = new URLSearchParams(form).toString();
    const sig = expectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}/api/calls/webhook`, form);
    await send("signed webhook", {
      method: "POST",
      url: "/api/calls/webhook",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig },
      payload: body,
    });
    await send("bad signature", {
      method: "POST",
      url: "/api/calls/webhook",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "bm9wZQ==" },
      payload: body,
    });

    // Everything a user can read afterwards.
    await trpc("keys", "apiKeys.list", cookies.seller!, undefined, "GET");
    await trpc("me", "auth.me", cookies.seller!, undefined, "GET");
    await trpc("buyer", "buyers.get", cookies.contractor!, { id: b!.id }, "GET");
    await trpc("buyers", "buyers.list", cookies.admin!, undefined, "GET");
    await trpc("export", "buyers.export", cookies.admin!, undefined, "GET");
    await trpc("leads", "leads.list", cookies.seller!, undefined, "GET");
    await trpc("orgs", "admin.orgs", cookies.admin!, undefined, "GET");
    await trpc("logout", "auth.logout", cookies.seller!, {});

    const real = secrets.filter((s) => s.length >= 8);
    expect(real.length).toBeGreaterThanOrEqual(12);
    const inAnswers = answers.flatMap((a) =>
      real.filter((s) => a.body.includes(s)).map((s) => `${a.what}: ${s.slice(0, 12)}…`),
    );
    expect(inAnswers).toEqual([]);
    const log = logLines.join("");
    expect(logLines.length).toBeGreaterThan(3); // the capture works: sign-ins and the bad signature were logged
    expect(log).toContain("call webhook with a bad signature refused");
    expect(real.filter((s) => log.includes(s)).map((s) => s.slice(0, 12))).toEqual([]);
    expect(log).not.toMatch(/scrypt\$|whsec_|lf_[A-Za-z0-9]+_[A-Za-z0-9]/);
  });
});
