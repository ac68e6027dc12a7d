// POST /api/calls/webhook over HTTP (fastify inject) on real PostgreSQL: the provider's signature
// computed two ways (by its documented algorithm with node:crypto, and by the twilio package),
// the refusals that store nothing, idempotent redelivery, the TwiML answer and the consent rules.
import { defaultCallSettings, expectedTwilioSignature, hashCaller, type CallSettings } from "@leadflow/api";
import { makeDj, makeLead, marketServices } from "@leadflow/api/testing";
import { callLeads, djVirtualNumbers, marketLeadEvents } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { count, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";

const AUTH_TOKEN = "test-auth-token-0123456789abcdef";
const PUBLIC_URL = "https://calls.leadflow.test";
const URL_SIGNED = `${PUBLIC_URL}/api/calls/webhook`;
const VIRTUAL = "+19015550177";
const RECORDED = "+13105550177";
const CALLER = "+19015550123";

let t: TestDb;
let app: FastifyInstance;
let settings: CallSettings;
let djId: string;
let laDjId: string;

/** The provider's documented algorithm: Base64(HMAC-SHA1(token, URL + sorted name+value pairs)). */
function signByHand(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", token).update(Buffer.from(data, "utf8")).digest("base64");
}

const sid = () => `CA${randomBytes(16).toString("hex")}`;
const form = (p: Record<string, string>) => new URLSearchParams(p).toString();

function post(params: Record<string, string>, headers: Record<string, string | undefined>, a = app) {
  const h: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
  return a.inject({ method: "POST", url: "/api/calls/webhook", headers: h, payload: form(params) });
}
const signed = (params: Record<string, string>) =>
  post(params, { "x-twilio-signature": signByHand(AUTH_TOKEN, URL_SIGNED, params) });

const callCount = async () => (await t.db.select({ n: count() }).from(callLeads))[0]!.n;
const ringing = (callSid: string, over: Record<string, string> = {}) => ({
  CallSid: callSid,
  AccountSid: `AC${"0".repeat(32)}`,
  From: CALLER,
  To: VIRTUAL,
  CallStatus: "ringing",
  Direction: "inbound",
  FromState: "TN",
  ...over,
});

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  const s = { ...marketServices(t.db), publicUrl: PUBLIC_URL };
  settings = defaultCallSettings({ authToken: AUTH_TOKEN, callerHashSecret: randomBytes(32).toString("hex") });
  app = await buildApp({ services: s, dashboardDir: "/nonexistent", calls: settings });
  djId = (await makeDj(t.db, { name: "DJ Memphis", state: "TN", contactPhone: "(901) 555-0999" })).id;
  laDjId = (await makeDj(t.db, { name: "DJ LA", state: "CA", contactPhone: "+13105550999" })).id;
  await t.db.insert(djVirtualNumbers).values([
    { number: VIRTUAL, djId, recordingEnabled: false },
    { number: RECORDED, djId: laDjId, recordingEnabled: true },
  ]);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe("signature", () => {
  it("agrees with the twilio package's own computation", () => {
    const p = ringing(sid());
    expect(signByHand(AUTH_TOKEN, URL_SIGNED, p)).toBe(expectedTwilioSignature(AUTH_TOKEN, URL_SIGNED, p));
  });

  it("accepts a valid signature (computed by hand, and by the package) and answers TwiML that dials the DJ's own number", async () => {
    const p = ringing(sid());
    const res = await signed(p);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/xml/);
    expect(res.body).toContain("<Dial><Number>+19015550999</Number></Dial>");
    expect(res.body).not.toContain("<Say>");
    const p2 = ringing(sid());
    const res2 = await post(p2, { "x-twilio-signature": expectedTwilioSignature(AUTH_TOKEN, URL_SIGNED, p2) });
    expect(res2.statusCode).toBe(200);
  });

  it("refuses a tampered body, a signature for another URL and a missing header, storing nothing", async () => {
    const before = await callCount();
    const p = ringing(sid());
    const sig = signByHand(AUTH_TOKEN, URL_SIGNED, p);
    const tampered = await post({ ...p, CallDuration: "600" }, { "x-twilio-signature": sig });
    expect(tampered.statusCode).toBe(403);
    expect(tampered.json().error).toBe("SIGNATURE_INVALID");
    const otherUrl = await post(p, {
      "x-twilio-signature": signByHand(AUTH_TOKEN, "https://elsewhere.test/api/calls/webhook", p),
    });
    expect(otherUrl.statusCode).toBe(403);
    const otherToken = await post(p, { "x-twilio-signature": signByHand("another-token-0123456789", URL_SIGNED, p) });
    expect(otherToken.statusCode).toBe(403);
    const missing = await post(p, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe("SIGNATURE_MISSING");
    expect(await callCount()).toBe(before);
  });

  it("answers 503 with what to set when no auth token is configured", async () => {
    const off = await buildApp({
      services: { ...marketServices(t.db), publicUrl: PUBLIC_URL },
      dashboardDir: "/nonexistent",
      calls: null,
    });
    try {
      const p = ringing(sid());
      const res = await post(p, { "x-twilio-signature": signByHand(AUTH_TOKEN, URL_SIGNED, p) }, off);
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toMatch(/TWILIO_AUTH_TOKEN/);
    } finally {
      await off.close();
    }
  });
});

describe("form validation", () => {
  it("refuses bad fields with 400 and a clear message, even when correctly signed", async () => {
    const before = await callCount();
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...ringing(sid()), CallSid: "CA123" }, /CallSid/],
      [{ ...ringing(sid()), From: "555-0123" }, /From/],
      [{ ...ringing(sid()), CallStatus: "exploded" }, /CallStatus/],
      [{ ...ringing(sid()), CallStatus: "completed", CallDuration: "-4" }, /CallDuration/],
      [{ CallSid: sid() }, /CallStatus/],
      [{ ...ringing(sid()), RecordingUrl: "http://api.twilio.com/rec" }, /RecordingUrl/],
    ];
    for (const [p, msg] of cases) {
      const res = await signed(p);
      expect(res.statusCode, JSON.stringify(p)).toBe(400);
      expect(res.json().message).toMatch(msg);
    }
    expect(await callCount()).toBe(before);
  });

  it("answers a call to a number nobody holds with a not-in-service message and stores nothing", async () => {
    const before = await callCount();
    const res = await signed(ringing(sid(), { To: "+19015550000" }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("not in service");
    expect(await callCount()).toBe(before);
  });
});

describe("a call's life", () => {
  it("is idempotent when the provider redelivers, bills at 60 s and stores only the keyed hash", async () => {
    const lead = await makeLead(t.db, {
      contact: { name: "Pat", phone: "(901) 555-0123" },
      acceptedDjId: djId,
      leadState: "accepted",
    });
    const callSid = sid();
    expect((await signed(ringing(callSid))).statusCode).toBe(200);
    const done = { ...ringing(callSid), CallStatus: "completed", CallDuration: "60" };
    for (let i = 0; i < 3; i++) expect((await signed(done)).statusCode).toBe(200);
    // A late "ringing" redelivery does not reopen it.
    expect((await signed(ringing(callSid))).statusCode).toBe(200);
    const rows = await t.db.select().from(callLeads).where(eq(callLeads.callSid, callSid));
    expect(rows).toHaveLength(1);
    const c = rows[0]!;
    expect(c).toMatchObject({
      status: "completed",
      durationSec: 60,
      classification: "billable",
      billed: true,
      marketLeadId: lead.id,
      attributedBy: "lead_phone",
    });
    expect(c.callerHash).toBe(hashCaller(settings.callerHashSecret, CALLER));
    expect(c.callerHash).not.toBe(createHash("sha256").update(CALLER).digest("hex"));
    expect(JSON.stringify(c)).not.toContain("5550123");
    const events = await t.db.select().from(marketLeadEvents).where(eq(marketLeadEvents.leadId, lead.id));
    expect(events.filter((e) => e.kind === "call")).toHaveLength(1);
    expect(events[0]!.message).toMatch(/1 min 0 s, billable, billed/);
  });

  it("announces and records in an all-party state, and keeps a recording URL only where recording was allowed", async () => {
    const callSid = sid();
    const res = await signed(ringing(callSid, { To: RECORDED, FromState: "CA" }));
    expect(res.body).toMatch(
      /<Say>This call may be recorded\.[^<]*<\/Say><Dial record="record-from-answer" recordingStatusCallback="https:\/\/calls\.leadflow\.test\/api\/calls\/webhook"/,
    );
    await signed({
      ...ringing(callSid, { To: RECORDED, FromState: "CA" }),
      CallStatus: "completed",
      CallDuration: "95",
    });
    const rec = {
      CallSid: callSid,
      RecordingSid: `RE${"1".repeat(32)}`,
      RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1",
    };
    expect((await signed(rec)).statusCode).toBe(200);
    const [c] = await t.db.select().from(callLeads).where(eq(callLeads.callSid, callSid));
    expect(c).toMatchObject({
      consentMode: "all_party",
      announced: true,
      recordingAllowed: true,
      recordingReason: "announced",
      recordingUrl: rec.RecordingUrl,
    });

    // The Memphis number has recording off: a recording URL sent anyway is dropped.
    const other = sid();
    const r2 = await signed(ringing(other));
    expect(r2.body).not.toContain("record=");
    await signed({ ...rec, CallSid: other });
    const [c2] = await t.db.select().from(callLeads).where(eq(callLeads.callSid, other));
    expect(c2).toMatchObject({
      consentMode: "one_party",
      recordingAllowed: false,
      recordingReason: "recording_disabled",
      recordingUrl: null,
    });
  });

  it("refuses a recording callback for a call it never saw", async () => {
    const res = await signed({
      CallSid: sid(),
      RecordingSid: `RE${"2".repeat(32)}`,
      RecordingUrl: "https://api.twilio.com/rec",
    });
    expect(res.statusCode).toBe(404);
  });
});
