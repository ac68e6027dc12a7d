// Call tracking services on real PostgreSQL: the duration rules at their edges, the repeat-caller
// window at its edge, one bill per caller thread even under racing redeliveries, number
// assignment racing on real connections, rotation, tenancy, conversions and the statistics.
import { callLeads, djs, djVirtualNumbers, leadAssignments, marketLeadEvents } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import type { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../marketplace/blast";
import { makeDj, makeLead, marketServices } from "../marketplace/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";
import {
  assignVirtualNumber,
  defaultCallSettings,
  getDJCallStats,
  getVirtualNumberForDJ,
  hashCaller,
  logCallEvent,
  type CallEvent,
} from "./index";

const MS_PER_DAY = 86_400_000;
let t: TestDb;
const settings = defaultCallSettings({ authToken: "x".repeat(32), callerHashSecret: randomBytes(32).toString("hex") });
let numberSeq = 100;
const sid = () => `CA${randomBytes(16).toString("hex")}`;

beforeAll(async () => {
  t = await createTestDb({ max: 12 });
});
afterAll(async () => {
  await t?.drop();
});

async function djWithNumber(over: Parameters<typeof makeDj>[1] = {}) {
  const dj = await makeDj(t.db, { contactPhone: "+19015550999", ...over });
  const number = `+1901555${String(++numberSeq).padStart(4, "0")}`;
  await t.db.insert(djVirtualNumbers).values({ number, djId: dj.id });
  return { dj, number };
}

const event = (to: string, from: string, over: Partial<CallEvent> = {}): CallEvent => ({
  callSid: sid(),
  to,
  from,
  callerState: "TN",
  callerCity: "Memphis",
  status: "ringing",
  durationSec: null,
  recordingUrl: null,
  provider: {},
  ...over,
});

/** A whole call: its first webhook now, its completion `durationSec` later. */
async function call(s: ReturnType<typeof marketServices>, to: string, from: string, durationSec: number) {
  const e = event(to, from);
  await logCallEvent(s, settings, e);
  s.clock.advance(durationSec * 1000);
  await logCallEvent(s, settings, { ...e, status: "completed", durationSec });
  const [row] = await t.db.select().from(callLeads).where(eq(callLeads.callSid, e.callSid));
  return row!;
}

describe("duration rules", () => {
  it.each([
    [29, "ignored", false],
    [30, "not_billable", false],
    [59, "not_billable", false],
    [60, "billable", true],
  ] as const)("a %s s call is %s", async (sec, classification, billed) => {
    const s = marketServices(t.db);
    const { number } = await djWithNumber();
    const row = await call(s, number, `+1615555${String(sec).padStart(4, "0")}`, sec);
    expect(row).toMatchObject({ durationSec: sec, classification, billed, status: "completed" });
  });

  it("follows configured thresholds", async () => {
    const s = marketServices(t.db);
    const { number } = await djWithNumber();
    const e = event(number, "+16155550401");
    await logCallEvent(
      s,
      { ...settings, thresholds: { billableMinSec: 45, ignoreBelowSec: 10 } },
      { ...e, status: "completed", durationSec: 45 },
    );
    const [row] = await t.db.select().from(callLeads).where(eq(callLeads.callSid, e.callSid));
    expect(row).toMatchObject({ classification: "billable", billed: true });
  });
});

describe("repeat callers", () => {
  it("are the same lead up to exactly 7 days after their last call, and a new lead a moment later", async () => {
    const s = marketServices(t.db);
    const { dj, number } = await djWithNumber();
    const caller = "+16155550500";
    const first = await call(s, number, caller, 120);
    // The next call starts exactly 7 days after the first one started.
    s.clock.set(new Date(first.startedAt.getTime() + 7 * MS_PER_DAY));
    const second = await call(s, number, caller, 90);
    expect(second).toMatchObject({
      threadId: first.id,
      repeatOfCallId: first.id,
      classification: "billable",
      billed: false,
    });
    s.clock.set(new Date(second.startedAt.getTime() + 7 * MS_PER_DAY + 1));
    const third = await call(s, number, caller, 90);
    expect(third).toMatchObject({ threadId: third.id, repeatOfCallId: null, billed: true });
    const stats = await getDJCallStats(t.db, s.clock, dj.id, 30);
    expect(stats).toMatchObject({ calls: 3, billable: 3, billedLeads: 2, repeatCalls: 1 });
  });

  it("bill a thread once even when a short first call is followed by a long one", async () => {
    const s = marketServices(t.db);
    const { number } = await djWithNumber();
    const short = await call(s, number, "+16155550600", 40);
    s.clock.advance(MS_PER_DAY);
    const long = await call(s, number, "+16155550600", 200);
    expect(short.billed).toBe(false);
    expect(long).toMatchObject({ threadId: short.id, billed: true });
  });

  it("to another DJ are a new lead for that DJ", async () => {
    const s = marketServices(t.db);
    const a = await djWithNumber();
    const b = await djWithNumber();
    const c1 = await call(s, a.number, "+16155550700", 100);
    const c2 = await call(s, b.number, "+16155550700", 100);
    expect(c1.billed && c2.billed).toBe(true);
    expect(c2.repeatOfCallId).toBeNull();
  });
});

describe("redelivery and hashing", () => {
  it("stores one call, one bill and one timeline event when the same completion races in", async () => {
    const s = marketServices(t.db);
    const { dj, number } = await djWithNumber();
    const lead = await makeLead(t.db, {
      contact: { name: "Ana", phone: "615-555-0800" },
      acceptedDjId: dj.id,
      leadState: "accepted",
    });
    const e = event(number, "+16155550800", { status: "completed", durationSec: 75 });
    await Promise.all(Array.from({ length: 6 }, () => logCallEvent(s, settings, e)));
    const rows = await t.db.select().from(callLeads).where(eq(callLeads.callSid, e.callSid));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ billed: true, marketLeadId: lead.id });
    const events = await t.db
      .select()
      .from(marketLeadEvents)
      .where(and(eq(marketLeadEvents.leadId, lead.id), eq(marketLeadEvents.kind, "call")));
    expect(events).toHaveLength(1);
  });

  it("never stores the number, nor its plain SHA-256", async () => {
    const s = marketServices(t.db);
    const { number } = await djWithNumber();
    const caller = "+16155550900";
    const row = await call(s, number, caller, 65);
    const plain = createHash("sha256").update(caller).digest("hex");
    expect(row.callerHash).toBe(hashCaller(settings.callerHashSecret, caller));
    expect(row.callerHash).not.toBe(plain);
    expect(row.callerHash).not.toBe(createHash("sha256").update(caller.slice(1)).digest("hex"));
    expect(JSON.stringify(row)).not.toMatch(/6155550900/);
    expect(() => hashCaller("short", caller)).toThrow(/at least 16/);
  });
});

describe("database guards", () => {
  it("refuse a recording URL on a call where recording was not allowed, and a number that is not E.164", async () => {
    const s = marketServices(t.db);
    const { number } = await djWithNumber();
    const row = await call(s, number, "+16155550950", 70);
    expect(row.recordingAllowed).toBe(false);
    await expect(
      t.db.update(callLeads).set({ recordingUrl: "https://api.twilio.com/rec" }).where(eq(callLeads.id, row.id)),
    ).rejects.toThrow();
    await expect(t.db.insert(djVirtualNumbers).values({ number: "901-555-0100" })).rejects.toThrow();
    expect((await t.db.select().from(callLeads).where(eq(callLeads.id, row.id)))[0]!.recordingUrl).toBeNull();
  });
});

describe("virtual numbers", () => {
  it("go to exactly one of two admins racing for the same number (real connections)", async () => {
    const s = marketServices(t.db);
    const racers = await Promise.all(Array.from({ length: 8 }, () => makeDj(t.db)));
    for (let round = 0; round < 5; round++) {
      const number = `+1312555${String(1000 + round)}`;
      const results = await Promise.allSettled(
        racers.map((d) => assignVirtualNumber(s, { number, djId: d.id, userId: null })),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/already belongs to/);
      const rows = await t.db.select().from(djVirtualNumbers).where(eq(djVirtualNumbers.number, number));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.djId).toBe((won[0] as PromiseFulfilledResult<{ djId: string | null }>).value.djId);
    }
  });

  it("are validated as E.164 and rotate through a DJ's pool", async () => {
    const s = marketServices(t.db);
    const dj = await makeDj(t.db);
    for (const bad of ["9015550100", "+1 901 555 0100", "+0123"]) {
      await expect(assignVirtualNumber(s, { number: bad, djId: dj.id, userId: null })).rejects.toThrow(/E\.164/);
    }
    for (const n of ["+12125550102", "+12125550100", "+12125550101"])
      await assignVirtualNumber(s, { number: n, djId: dj.id, userId: null });
    const shown = [];
    for (let i = 0; i < 4; i++) shown.push(await getVirtualNumberForDJ(t.db, s.clock, dj.id));
    expect(shown).toEqual(["+12125550100", "+12125550101", "+12125550102", "+12125550100"]);
    expect(await getVirtualNumberForDJ(t.db, s.clock, (await makeDj(t.db)).id)).toBeNull();
  });
});

describe("procedures", () => {
  it("keep DJs to their own calls, link calls to their leads and count conversions", async () => {
    const s = testServices(t.db) as ReturnType<typeof testServices> & { clock: ManualClock };
    const ms = marketServices(t.db, s.clock);
    const u = await makeOrgUser(t.db, "dj");
    const other = await makeOrgUser(t.db, "dj");
    const mine = await djWithNumber({ orgId: u.orgId });
    const theirs = await djWithNumber({ orgId: other.orgId });
    const lead = await makeLead(t.db, {
      contact: { name: "No phone", email: "n@example.test" },
      acceptedDjId: mine.dj.id,
      leadState: "accepted",
    });
    const c = await call(ms, mine.number, "+16155551000", 130);
    const foreign = await call(ms, theirs.number, "+16155551001", 130);
    const me = callerAs(s, u);

    const view = await me.calls.myCalls();
    expect(view.calls.map((x) => x.id)).toEqual([c.id]);
    expect(JSON.stringify(view)).not.toContain(c.callerHash!);
    expect(view.numbers.map((n) => n.number)).toEqual([mine.number]);
    await expect(me.calls.attribute({ callId: foreign.id, leadId: lead.id })).rejects.toThrow(
      "That call does not exist.",
    );
    await expect(me.calls.markConverted({ callId: foreign.id, bookingRef: "B-1", valueDollars: 100 })).rejects.toThrow(
      "That call does not exist.",
    );

    await me.calls.attribute({ callId: c.id, leadId: lead.id });
    await me.calls.markConverted({ callId: c.id, bookingRef: "B-77", valueDollars: 1400 });
    await me.calls.markConverted({ callId: c.id, bookingRef: "B-77", valueDollars: 1400 });
    await expect(me.calls.markConverted({ callId: c.id, bookingRef: "B-78", valueDollars: 1400 })).rejects.toThrow(
      /already marked/,
    );
    const kinds = (await t.db.select().from(marketLeadEvents).where(eq(marketLeadEvents.leadId, lead.id))).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual(["call", "call_converted"]);
    const { stats } = await me.calls.myCalls();
    expect(stats).toMatchObject({
      calls: 1,
      counted: 1,
      billable: 1,
      attributed: 1,
      converted: 1,
      bookingValueCents: 140_000,
      attributionRate: 1,
    });
    expect(stats.byDay).toEqual([
      { day: c.startedAt.toISOString().slice(0, 10), calls: 1, billable: 1, attributed: 1 },
    ]);

    await expect(callerAs(s, other).calls.numbers()).rejects.toThrow("This is for admin accounts.");
    const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
    const analytics = await admin.calls.analytics();
    expect(analytics.attributionRate.target).toBe("> 40%");
    expect(analytics.counted).toBeGreaterThanOrEqual(2);
    expect(analytics.attributionRate.value).toBeCloseTo(analytics.attributed / analytics.counted);
    await expect(admin.calls.assignNumber({ number: theirs.number, djId: mine.dj.id })).rejects.toThrow(
      /already belongs to/,
    );
    const freed = (await admin.calls.numbers()).find((n) => n.number === theirs.number)!;
    await admin.calls.unassignNumber({ numberId: freed.id });
    expect(
      (await admin.calls.assignNumber({ number: theirs.number, djId: mine.dj.id, recordingEnabled: true })).djId,
    ).toBe(mine.dj.id);
  });
});

describe("where customers see the number", () => {
  it("the comparison page and the public profile show the DJ's tracking numbers in rotation, never the DJ's own phone; the admin metrics show attribution", async () => {
    const s = testServices(t.db);
    const dj = await makeDj(t.db, { name: "DJ Rotation", contactPhone: "+19015554444" });
    for (const n of ["+16295550101", "+16295550102"])
      await t.db.insert(djVirtualNumbers).values({ number: n, djId: dj.id });
    const token = randomBytes(16).toString("base64url").slice(0, 22);
    const lead = await makeLead(t.db, {
      comparisonTokenHash: hashToken(token),
      leadState: "accepted",
      acceptedDjId: dj.id,
    });
    const now = new Date("2026-03-02T15:00:00Z");
    await t.db.insert(leadAssignments).values({
      leadId: lead.id,
      djId: dj.id,
      phase: "exclusive",
      phaseSeq: 1,
      status: "accepted",
      offeredAt: now,
      respondedAt: new Date(now.getTime() + 1000),
      windowEndsAt: new Date(now.getTime() + 900_000),
      quoteCents: 120_000,
    });
    const anon = callerAs(s, null);
    const first = await anon.marketPublic.comparison({ token });
    const second = await anon.marketPublic.comparison({ token });
    expect(first.responses.map((r) => r.trackingNumber)).toEqual(["+16295550101"]);
    expect(second.responses.map((r) => r.trackingNumber)).toEqual(["+16295550102"]);
    expect(JSON.stringify(first)).not.toContain("5554444");

    // The comparison links each DJ's public profile, which shows the next tracking number.
    const profile = await anon.calls.djProfile({ djId: first.responses[0]!.djId });
    expect(profile).toMatchObject({ name: "DJ Rotation", trackingNumber: "+16295550101" });
    expect(JSON.stringify(profile)).not.toContain("5554444");
    await t.db.update(djs).set({ isSuspended: true }).where(eq(djs.id, dj.id));
    await expect(anon.calls.djProfile({ djId: dj.id })).rejects.toThrow("We couldn't find that DJ");

    const admin = callerAs(s, await makeOrgUser(t.db, "admin"));
    const m = await admin.marketAdmin.metrics();
    const a = await admin.calls.analytics();
    expect(m.callAttribution).toMatchObject({ target: "> 40%", attributed: a.attributed, counted: a.counted });
  });
});
