// The couple's side on real PostgreSQL, with an SMTP server and a fake SMS provider on loopback:
// the inquiry emails the signed comparison link at once, each quote is emailed, the thread hides
// contact details until the DJ unlocked or was chosen, and choosing books once even when raced.
import { djAvailability, djs, emailOutbox, leadAssignments, marketLeadEvents, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../../context";
import { closeMailTransports } from "../../email/outbox";
import { generateVapidKeys } from "../../notify/channels";
import type { NotifySettings } from "../../notify/settings";
import { startFakeTwilio } from "../../notify/testing";
import { callerAs, makeOrgUser, testServices } from "../../testing";
import { hashToken } from "../blast";
import { makeDj, makeLead } from "../testing";
import { chooseDJ } from "./choose";
import { HIDDEN, redactContact } from "./redact";
import { signCompareToken, verifyCompareToken } from "./token";

const SID = `AC${"b2".repeat(16)}`;
const AUTH = "twilio-test-auth-token-couples-01";
const SECRET = "couples-link-secret-0123456789abcdef";

let t: TestDb;
let smtp: SMTPServer;
let smtpUrl = "";
const mails: { to: string; text: string }[] = [];
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
let notify: NotifySettings;

beforeAll(async () => {
  t = await createTestDb({ max: 14 });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), text });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
  twilio = await startFakeTwilio(SID, AUTH);
  notify = {
    linkSecret: SECRET,
    linkTtlMinutes: 120,
    twilio: { accountSid: SID, authToken: AUTH, from: "+19015550100", apiUrl: twilio.url },
    vapid: { ...generateVapidKeys(), subject: "mailto:ops@leadflow.test" },
  };
}, 60_000);

afterAll(async () => {
  closeMailTransports();
  await new Promise<void>((r) => smtp?.close(() => r()));
  await twilio?.close();
  await t?.drop();
});

function services(clock = new ManualClock("2026-03-02T15:00:00Z")): Services & { clock: ManualClock } {
  return { ...testServices(t.db, clock), notify, smtpUrl, publicUrl: "https://leads.example.test" } as Services & {
    clock: ManualClock;
  };
}

/** Email bodies are quoted-printable: soft line breaks and =3D undone. */
const plain = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
const mailsTo = (to: string) => mails.filter((m) => m.to === to).map((m) => plain(m.text));

describe("compare token", () => {
  it("signs the lead id; a changed token or another secret opens nothing", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const tok = signCompareToken(SECRET, id);
    expect(tok).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyCompareToken(SECRET, tok)).toBe(id);
    expect(verifyCompareToken("another-secret", tok)).toBeNull();
    const flipped = tok.slice(0, -1) + (tok.endsWith("A") ? "B" : "A");
    expect(verifyCompareToken(SECRET, flipped)).toBeNull();
    const other = signCompareToken(SECRET, "1f8fad5b-d9cb-469f-a165-70867728950e");
    expect(verifyCompareToken(SECRET, `${tok.split(".")[0]}.${other.split(".")[1]}`)).toBeNull();
    expect(verifyCompareToken(SECRET, "short.token")).toBeNull();
  });
});

describe("contact details in messages", () => {
  it.each([
    ["call me on (901) 555-0123", true],
    ["+1 901 555 0123 any time", true],
    ["text 9015550123", true],
    ["write to jo.lee+dj@gmail.com", true],
    ["jo dot lee at gmail dot com", true],
    ["jolee (at) example (dot) org", true],
    ["whatsapp me", true],
    ["The wedding is 2026-06-20, 120 guests, budget $1,500", false],
    ["Can you play from 7 to 11 pm?", false],
  ])("%s → hidden: %s", (text, hidden) => {
    const r = redactContact(text);
    expect(r.redacted).toBe(hidden);
    if (hidden) {
      expect(r.text).toContain(HIDDEN);
      expect(r.text).not.toMatch(/\d{3}[\s.-]?\d{4}|@|gmail|example \(dot\)/);
    } else expect(r.text).toBe(text);
  });
});

const inquiry = {
  name: "Jordan Lee",
  email: "jordan.couple@example.test",
  phone: "+19015550199",
  city: "Coupleville",
  eventType: "wedding" as const,
  eventDate: "2026-06-20",
  budgetMinDollars: 1000,
  budgetMaxDollars: 2000,
  guestCount: 120,
};

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the couple's side", () => {
  it("emails the link, each quote and each message; hides contact until unlocked or chosen; books the chosen DJ", async () => {
    const s = services();
    const anon = callerAs(s, null);
    const u1 = await makeOrgUser(t.db, "dj");
    const u2 = await makeOrgUser(t.db, "dj");
    const dj1 = await makeDj(t.db, {
      orgId: u1.orgId,
      city: "Coupleville",
      routingScore: 90,
      contactEmail: "dj1@example.test",
      credits: 3,
    });
    const dj2 = await makeDj(t.db, {
      orgId: u2.orgId,
      city: "Coupleville",
      routingScore: 80,
      contactEmail: "dj2@example.test",
    });

    // The email is required now: it is where the link goes.
    await expect(
      anon.marketPublic.inquire({ ...inquiry, email: undefined as unknown as string }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const { token, comparisonPath } = await anon.marketPublic.inquire(inquiry);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    await until(() => mailsTo(inquiry.email).length === 1, "the link email");
    expect(mailsTo(inquiry.email)[0]).toContain(`https://leads.example.test${comparisonPath}`);
    await until(() => twilio.state.sent.length === 1, "the link SMS");
    expect(twilio.state.sent[0]).toMatchObject({ to: inquiry.phone });
    expect(twilio.state.sent[0]!.body).toContain(comparisonPath);
    const [lead] = await t.db
      .select()
      .from(marketLeads)
      .where(eq(marketLeads.comparisonTokenHash, hashToken(token)));

    // DJ 1 holds the exclusive offer; DJ 2 gets one too (as a later phase would), and both quote.
    s.clock.advance(5 * 60_000);
    await t.db.insert(leadAssignments).values({
      leadId: lead!.id,
      djId: dj2.id,
      phase: "exclusive",
      phaseSeq: lead!.phaseSeq,
      offeredAt: s.clock.now(),
      windowEndsAt: new Date(s.clock.now().getTime() + 3_600_000),
    });
    const c1 = callerAs(s, u1);
    const c2 = callerAs(s, u2);
    await c1.marketDj.respond({
      leadId: lead!.id,
      action: "accepted",
      quoteDollars: 1500,
      message: "Call me at 901-555-0111!",
    });
    await c2.marketDj.respond({ leadId: lead!.id, action: "accepted", quoteDollars: 1300 });
    await until(() => mailsTo(inquiry.email).length === 3, "two quote emails");
    const quoteMails = mailsTo(inquiry.email).slice(1).join("\n");
    expect(quoteMails).toContain(`New quote from ${dj1.name}`);
    expect(quoteMails).toContain(`New quote from ${dj2.name}`);
    expect(quoteMails).toContain(`https://leads.example.test${comparisonPath}`); // the same signed link, made again

    const page = await anon.marketPublic.comparison({ token });
    expect(page.responses.map((r) => r.djName).sort()).toEqual([dj1.name, dj2.name].sort());
    expect(page.responses.find((r) => r.djId === dj1.id)!.message).not.toContain("555");
    expect(page.bookedDjId).toBeNull();

    // Before any unlock or choice, contact details are hidden both ways.
    const m1 = await anon.marketPublic.sendMessage({
      token,
      djId: dj1.id,
      body: "Do you have lights? I'm on 901 555 0199",
    });
    expect(m1.redacted).toBe(true);
    expect(m1.body).not.toContain("555");
    await until(() => mailsTo("dj1@example.test").length >= 1, "the DJ's message email");
    expect(mailsTo("dj1@example.test").join("")).not.toContain("555 0199");
    const r1 = await c1.marketDj.sendMessage({ leadId: lead!.id, body: "Yes! Mail me: dj1@example.test" });
    expect(r1).toMatchObject({ redacted: true });
    expect(r1.body).not.toContain("@");
    await until(
      () => mailsTo(inquiry.email).some((m) => m.includes(`${dj1.name} sent you a message`)),
      "the couple's notice",
    );
    expect(mailsTo(inquiry.email).join("")).not.toContain("dj1@example.test");

    // After the DJ unlocked the contact (paid), details pass.
    await c1.marketDj.unlock({ leadId: lead!.id });
    const r2 = await c1.marketDj.sendMessage({ leadId: lead!.id, body: "Call me on 901-555-0111" });
    expect(r2).toMatchObject({ redacted: false, body: "Call me on 901-555-0111" });
    expect((await c1.marketDj.messages({ leadId: lead!.id })).map((m) => m.sender)).toEqual(["couple", "dj", "dj"]);
    // DJ 2 sees only its own (empty) thread; a DJ the lead was never offered to sees nothing.
    expect(await c2.marketDj.messages({ leadId: lead!.id })).toEqual([]);
    const stranger = await makeOrgUser(t.db, "dj");
    await makeDj(t.db, { orgId: stranger.orgId, city: "Elsewhere" });
    await expect(callerAs(s, stranger).marketDj.messages({ leadId: lead!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerAs(s, stranger).marketDj.sendMessage({ leadId: lead!.id, body: "hi" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    // Bad input: an empty or long message, a DJ who did not quote, a changed link.
    await expect(anon.marketPublic.sendMessage({ token, djId: dj1.id, body: "  " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(anon.marketPublic.sendMessage({ token, djId: dj1.id, body: "x".repeat(2001) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(anon.marketPublic.choose({ token, djId: stranger.orgId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const forged = `${token.split(".")[0]}.${"A".repeat(22)}`;
    await expect(anon.marketPublic.comparison({ token: forged })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(anon.marketPublic.choose({ token: forged, djId: dj2.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(anon.marketPublic.choose({ token: "not a token", djId: dj2.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    // The couple chooses DJ 2: booked, DJ 1 told and marked, the lead converted.
    s.clock.advance(60_000);
    expect(await anon.marketPublic.choose({ token, djId: dj2.id })).toEqual({ booked: dj2.name, alreadyBooked: false });
    expect(await anon.marketPublic.choose({ token, djId: dj2.id })).toEqual({ booked: dj2.name, alreadyBooked: true });
    await expect(anon.marketPublic.choose({ token, djId: dj1.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const [after] = await t.db.select().from(marketLeads).where(eq(marketLeads.id, lead!.id));
    expect(after).toMatchObject({ leadState: "converted", convertedDjId: dj2.id, bookingValueCents: 130_000 });
    const [booked] = await t.db
      .select()
      .from(djAvailability)
      .where(and(eq(djAvailability.djId, dj2.id), eq(djAvailability.date, "2026-06-20")));
    expect(booked?.status).toBe("booked");
    const offers = await t.db.select().from(leadAssignments).where(eq(leadAssignments.leadId, lead!.id));
    expect(offers.find((o) => o.djId === dj1.id)!.choseOtherAt).not.toBeNull();
    expect(offers.find((o) => o.djId === dj2.id)!.choseOtherAt).toBeNull();
    await until(() => mailsTo("dj1@example.test").some((m) => m.includes("booked another DJ")), "the DJ told");
    expect(mailsTo("dj2@example.test").some((m) => m.includes("booked another DJ"))).toBe(false);
    const inbox1 = await c1.marketDj.inbox();
    expect(inbox1.items.find((i) => i.leadId === lead!.id)!.choseOtherAt).not.toBeNull();
    const page2 = await anon.marketPublic.comparison({ token });
    expect(page2.bookedDjId).toBe(dj2.id);
    expect(page2.messages).toHaveLength(3);

    // The chosen DJ may now share contact; the other's thread is closed.
    const r3 = await c2.marketDj.sendMessage({ leadId: lead!.id, body: "Thanks! My cell is 901-555-0222" });
    expect(r3.redacted).toBe(false);
    await expect(c1.marketDj.sendMessage({ leadId: lead!.id, body: "Still free?" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Every email went through the one outbox.
    const outbox = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, inquiry.email));
    expect(outbox.length).toBe(mailsTo(inquiry.email).length);
    expect(outbox.every((o) => o.status === "sent")).toBe(true);
  }, 60_000);

  it("books once when the couple chooses twice, from many tabs at once, between two DJs", async () => {
    const s = services();
    const a = await makeDj(t.db, { city: "Raceville", contactEmail: "race-a@example.test" });
    const b = await makeDj(t.db, { city: "Raceville", contactEmail: "race-b@example.test" });
    const id = "6d3c5b2a-1f0e-4d9c-8b7a-112233445566";
    const token = signCompareToken(SECRET, id);
    const lead = await makeLead(t.db, {
      id,
      city: "Raceville",
      comparisonTokenHash: hashToken(token),
      leadState: "accepted",
      eventDate: "2026-07-11",
    });
    const at = new Date("2026-03-02T15:00:00Z");
    for (const [dj, quote] of [
      [a, 120_000],
      [b, 140_000],
    ] as const)
      await t.db.insert(leadAssignments).values({
        leadId: lead.id,
        djId: dj.id,
        phase: "exclusive",
        phaseSeq: 1,
        status: "accepted",
        offeredAt: at,
        windowEndsAt: new Date(at.getTime() + 3_600_000),
        respondedAt: new Date(at.getTime() + 60_000),
        quoteCents: quote,
      });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => chooseDJ(s, { token, djId: i % 2 ? a.id : b.id })),
    );
    const fresh = results.filter((r) => r.status === "fulfilled" && !r.value.alreadyBooked);
    expect(fresh).toHaveLength(1);
    const winner = (fresh[0] as PromiseFulfilledResult<{ booked: string }>).value.booked === a.name ? a : b;
    const loser = winner === a ? b : a;
    for (const r of results)
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
      else expect(r.value.booked).toBe(winner.name);
    const [row] = await t.db.select().from(marketLeads).where(eq(marketLeads.id, lead.id));
    expect(row).toMatchObject({ leadState: "converted", convertedDjId: winner.id });
    const events = await t.db
      .select()
      .from(marketLeadEvents)
      .where(and(eq(marketLeadEvents.leadId, lead.id), eq(marketLeadEvents.kind, "couple_chose")));
    expect(events).toHaveLength(1);
    const counts = await t.db.select({ id: djs.id, converted: djs.convertedCount }).from(djs);
    expect(counts.find((c) => c.id === winner.id)!.converted).toBe(1);
    expect(counts.find((c) => c.id === loser.id)!.converted).toBe(0);
    const dates = await t.db.select().from(djAvailability).where(eq(djAvailability.date, "2026-07-11"));
    expect(dates.filter((d) => d.status === "booked").map((d) => d.djId)).toEqual([winner.id]);
    await until(() => mailsTo(loser.contactEmail!).length === 1, "the other DJ told once");
    expect(mailsTo(winner.contactEmail!)).toHaveLength(0);
  }, 60_000);
});
