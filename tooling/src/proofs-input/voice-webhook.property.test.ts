// Bad input, property-based: the voice provider's webhook (POST /api/calls/webhook) over the
// in-process app on real PostgreSQL. 10,000 generated callbacks: call events and recording
// callbacks in the provider's form encoding, correctly signed, most with one field broken, plus
// unsigned, mis-signed, tampered and wrongly encoded ones. A valid signed callback gets 200 TwiML;
// everything else a 4xx with a clear message (naming the field for a bad field); never a 5xx; after
// EVERY case a fingerprint of the call rows and lead events is compared: unchanged after a refusal.
import { defaultCallSettings, expectedTwilioSignature } from "@leadflow/api";
import { makeDj, marketServices } from "@leadflow/api/testing";
import { callLeads, djVirtualNumbers, marketLeadEvents } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";
import { check, hostileText, RUNS, tooLong, unclear } from "./harness";

const AUTH_TOKEN = "property-auth-token-0123456789abcdef";
const PUBLIC_URL = "https://calls.leadflow.test";
const SIGNED_URL = `${PUBLIC_URL}/api/calls/webhook`;
const VIRTUAL = ["+19015550177", "+13105550177"];

let t: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  const settings = defaultCallSettings({ authToken: AUTH_TOKEN, callerHashSecret: randomBytes(32).toString("hex") });
  app = await buildApp({
    services: { ...marketServices(t.db), publicUrl: PUBLIC_URL },
    dashboardDir: "/nonexistent",
    calls: settings,
  });
  const a = await makeDj(t.db, { name: "DJ Memphis", state: "TN", contactPhone: "(901) 555-0999" });
  const b = await makeDj(t.db, { name: "DJ LA", state: "CA", contactPhone: "+13105550999" });
  await t.db.insert(djVirtualNumbers).values([
    { number: VIRTUAL[0]!, djId: a.id, recordingEnabled: false },
    { number: VIRTUAL[1]!, djId: b.id, recordingEnabled: true },
  ]);
  for (const [i, CallSid] of KNOWN_CALLS.entries()) {
    const r = await request({
      label: "valid",
      why: "setup",
      form: { CallSid, From: "+19015550123", To: VIRTUAL[i % 2]!, CallStatus: "ringing" },
    });
    expect(r.statusCode).toBe(200);
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

type Form = Record<string, string>;
interface WebhookCase {
  label: "valid" | "invalid" | "either";
  why: string;
  form: Form;
  /** The field a 400 must name. */
  field?: string;
  /** How the request is signed and sent. */
  send?: "signed" | "unsigned" | "other-token" | "other-url" | "tampered" | "json" | "duplicate-key";
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
/** Calls made before the run: redeliveries, status updates and recordings of a known call. */
const KNOWN_CALLS = ["CA" + "a".repeat(32), "CA" + "b".repeat(32), "CA" + "0123456789abcdef".repeat(2)];
const callSid = fc.oneof(
  fc.constantFrom(...KNOWN_CALLS),
  hex(32).map((h) => `CA${h}`),
);
const e164 = fc
  .tuple(
    fc.integer({ min: 2, max: 9 }),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 6, maxLength: 12 }),
  )
  .map(([a, b]) => `+1${a}${b}`.slice(0, 16));
const statuses = [
  "queued",
  "initiated",
  "ringing",
  "in-progress",
  "completed",
  "busy",
  "failed",
  "no-answer",
  "canceled",
] as const;

const callEvent: fc.Arbitrary<Form> = fc
  .record(
    {
      CallSid: callSid,
      AccountSid: hex(32).map((h) => `AC${h}`),
      From: fc.oneof(
        { weight: 4, arbitrary: e164 },
        { weight: 1, arbitrary: fc.constantFrom("anonymous", "Restricted", "+266696687") },
      ),
      To: fc.oneof(fc.constantFrom(...VIRTUAL), e164),
      CallStatus: fc.constantFrom(...statuses),
      CallDuration: fc.integer({ min: 0, max: 7200 }).map(String),
      Direction: fc.constantFrom("inbound", "outbound-dial"),
      FromState: fc.constantFrom("TN", "CA", "tx", ""),
      FromCity: fc.constantFrom("MEMPHIS", "Los Angeles", "Sào Paulo", ""),
      ApiVersion: fc.constant("2010-04-01"),
      CallerZip: fc.constantFrom("38103", ""),
    },
    { requiredKeys: ["CallSid", "From", "To", "CallStatus"] },
  )
  .map((f) => f as Form);

const recording: fc.Arbitrary<Form> = fc
  // A recording callback follows its call's first webhook (an unknown call is a 404).
  .record(
    {
      CallSid: fc.constantFrom(...KNOWN_CALLS),
      RecordingUrl: hex(32).map(
        (h) => `https://api.twilio.com/2010-04-01/Accounts/AC${"0".repeat(32)}/Recordings/RE${h}`,
      ),
      RecordingSid: hex(32).map((h) => `RE${h}`),
    },
    { requiredKeys: ["CallSid", "RecordingUrl"] },
  )
  .map((f) => f as Form);

const validForm = fc.oneof({ weight: 4, arbitrary: callEvent }, { weight: 1, arbitrary: recording });

const bad = (field: string | undefined, why: string, form: Form): WebhookCase => ({
  label: "invalid",
  why,
  field,
  form,
});
const without = (f: Form, k: string) => Object.fromEntries(Object.entries(f).filter(([key]) => key !== k));

const fieldMutations: ((f: Form) => fc.Arbitrary<WebhookCase>)[] = [
  (f) =>
    fc
      .constantFrom("CA123", "XX" + "a".repeat(32), "", "CA" + "g".repeat(32), "ca" + "a".repeat(32))
      .map((v) => bad("CallSid", `CallSid ${v}`, { ...f, CallSid: v })),
  (f) => fc.constant(bad("CallSid", "no CallSid", without(f, "CallSid"))),
  (f) =>
    fc
      .constantFrom("555-0123", "19015550123", "+0123", "+1 901 555 0123", "+", "+1234567890123456", "")
      .map((v) => bad("From", `From ${v}`, { ...callEventOf(f), From: v })),
  (f) => fc.constantFrom("555-0123", "+0", "abc", "").map((v) => bad("To", `To ${v}`, { ...callEventOf(f), To: v })),
  (f) =>
    fc
      .constantFrom("exploded", "RINGING", "", "answered")
      .map((v) => bad("CallStatus", `CallStatus ${v}`, { ...callEventOf(f), CallStatus: v })),
  (f) => fc.constant(bad("To", "CallStatus without To", without(callEventOf(f), "To"))),
  (f) => fc.constant(bad("From", "CallStatus without From", without(callEventOf(f), "From"))),
  (f) => fc.constant(bad("CallStatus", "neither a call event nor a recording", { CallSid: f.CallSid! })),
  (f) =>
    fc
      .constantFrom("-4", "1.5", "abc", "1234567", "", " 5")
      .map((v) => bad("CallDuration", `CallDuration ${JSON.stringify(v)}`, { ...callEventOf(f), CallDuration: v })),
  (f) =>
    fc
      .constantFrom("http://api.twilio.com/r.mp3", "not a url", "", "ftp://x/y")
      .map((v) => bad("RecordingUrl", `RecordingUrl ${v}`, { CallSid: f.CallSid!, RecordingUrl: v })),
  (f) =>
    tooLong(480).map((s) =>
      bad("RecordingUrl", "RecordingUrl too long", {
        CallSid: f.CallSid!,
        RecordingUrl: `https://api.twilio.com/${s}`,
      }),
    ),
  (f) =>
    fc.constantFrom("RE1", "CA" + "a".repeat(32)).map((v) =>
      bad("RecordingSid", `RecordingSid ${v}`, {
        CallSid: f.CallSid!,
        RecordingUrl: "https://api.twilio.com/r.mp3",
        RecordingSid: v,
      }),
    ),
  (f) =>
    fc
      .constantFrom("AC1", "AC" + "z".repeat(32))
      .map((v) => bad("AccountSid", `AccountSid ${v}`, { ...f, AccountSid: v })),
  (f) =>
    fc
      .tuple(fc.constantFrom(["FromCity", 80], ["FromState", 40], ["Direction", 40], ["ApiVersion", 20]), fc.nat())
      .chain(([[k, max]]) =>
        tooLong(max as number).map((s) => bad(k as string, `${k} too long`, { ...callEventOf(f), [k as string]: s })),
      ),
];

/** The form as a call event (mutations of a recording callback need a call's fields to break). */
function callEventOf(f: Form): Form {
  return f.CallStatus ? f : { CallSid: f.CallSid!, From: "+19015550123", To: VIRTUAL[0]!, CallStatus: "ringing" };
}

const transportCases = (f: Form): fc.Arbitrary<WebhookCase> =>
  fc
    .constantFrom<WebhookCase["send"]>("unsigned", "other-token", "other-url", "tampered", "json", "duplicate-key")
    .map((send) => ({ label: "invalid", why: `sent ${send}`, form: f, send }));

const webhookCase: fc.Arbitrary<WebhookCase> = validForm.chain((f) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.constant<WebhookCase>({ label: "valid", why: "valid", form: f }) },
    { weight: 50, arbitrary: fc.constantFrom(...fieldMutations).chain((m) => m(f)) },
    { weight: 12, arbitrary: transportCases(f) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom("FromCity", "Direction", "Caller"), hostileText)
        .map(([k, s]): WebhookCase => ({
          label: "either",
          why: `${k} = ${JSON.stringify(s)}`,
          form: { ...callEventOf(f), [k]: s },
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 6 })
        .map((form): WebhookCase => ({ label: "invalid", why: "random form", form })),
    },
  ),
);

function request(c: WebhookCase) {
  const form = c.form;
  const body = new URLSearchParams(form).toString();
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const sign = (token: string, url: string, params: Form) => expectedTwilioSignature(token, url, params);
  switch (c.send ?? "signed") {
    case "signed":
      headers["x-twilio-signature"] = sign(AUTH_TOKEN, SIGNED_URL, form);
      break;
    case "unsigned":
      break;
    case "other-token":
      headers["x-twilio-signature"] = sign("another-token-0123456789abcdef", SIGNED_URL, form);
      break;
    case "other-url":
      headers["x-twilio-signature"] = sign(AUTH_TOKEN, "https://elsewhere.test/api/calls/webhook", form);
      break;
    case "tampered":
      headers["x-twilio-signature"] = sign(AUTH_TOKEN, SIGNED_URL, form);
      return app.inject({
        method: "POST",
        url: "/api/calls/webhook",
        headers,
        payload: new URLSearchParams({ ...form, CallDuration: "9999" }).toString(),
      });
    case "json":
      headers["x-twilio-signature"] = sign(AUTH_TOKEN, SIGNED_URL, form);
      headers["content-type"] = "application/json";
      return app.inject({ method: "POST", url: "/api/calls/webhook", headers, payload: JSON.stringify(form) });
    case "duplicate-key":
      headers["x-twilio-signature"] = sign(AUTH_TOKEN, SIGNED_URL, form);
      return app.inject({
        method: "POST",
        url: "/api/calls/webhook",
        headers,
        payload: `${body}&CallSid=CA${"c".repeat(32)}`,
      });
  }
  return app.inject({ method: "POST", url: "/api/calls/webhook", headers, payload: body });
}

async function fingerprint() {
  const [r] = await t.db
    .select({
      // Row count and the newest writing transaction: any insert, update or delete moves one of them.
      calls: sql<string>`(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ${callLeads})`,
      events: sql<string>`(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ${marketLeadEvents})`,
    })
    .from(sql`(select 1) as one`);
  return r!;
}

describe("POST /api/calls/webhook under generated input", () => {
  it(`answers ${RUNS} generated callbacks with TwiML or a clear 4xx, never a 5xx or a partial row`, async () => {
    const stats = { valid: 0, invalid: 0, either: 0, answered: 0, refused: 0, statuses: {} as Record<number, number> };
    let before = await fingerprint();
    const started = performance.now();
    await check(webhookCase, async (c) => {
      const r = await request(c);
      stats[c.label]++;
      stats.statuses[r.statusCode] = (stats.statuses[r.statusCode] ?? 0) + 1;
      const after = await fingerprint();
      const label = `${c.why} (${c.send ?? "signed"}) ${new URLSearchParams(c.form).toString().slice(0, 300)}: ${r.statusCode} ${r.body.slice(0, 300)}`;
      expect(r.statusCode, label).toBeLessThan(500);
      if (r.statusCode < 300) {
        stats.answered++;
        expect(c.label, label).not.toBe("invalid");
        expect(r.headers["content-type"], label).toMatch(/text\/xml/);
        expect(r.body, label).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response(\/>|>.*<\/Response>)$/s);
      } else {
        stats.refused++;
        expect(c.label, label).not.toBe("valid");
        expect(r.statusCode, label).toBeGreaterThanOrEqual(400);
        const body = r.json<{ error?: unknown; message?: unknown }>();
        expect(typeof body.error, label).toBe("string");
        expect(unclear(body.message), label).toBeNull();
        if (c.field && (c.send ?? "signed") === "signed") {
          expect(r.statusCode, label).toBe(400);
          expect(String(body.message), label).toContain(c.field);
        }
        if (c.send === "unsigned") expect(body.error, label).toBe("SIGNATURE_MISSING");
        if (c.send === "other-token" || c.send === "other-url" || c.send === "tampered")
          expect(r.statusCode, label).toBe(403);
        expect(after, `rows changed on a refusal: ${label}`).toEqual(before);
      }
      before = after;
    });
    process.stderr.write(
      `voice webhook: ${RUNS} cases in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(stats)}\n`,
    );
    expect(stats.answered).toBeGreaterThan(RUNS * 0.2);
    expect(stats.refused).toBeGreaterThan(RUNS * 0.5);
  }, 600_000);
});
