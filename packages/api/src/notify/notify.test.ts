// DJ notifications on real PostgreSQL, with the outside parties on loopback: an SMTP server, a fake
// of the voice provider's Messages API, and a Web Push endpoint that decrypts what it receives.
import { createBoss, djNotifications, marketLeadEvents, pushSubscriptions } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG, ManualClock, systemClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { closeMailTransports } from "../email/outbox";
import { djInbox } from "../marketplace/inbox";
import { handleLeadResponse } from "../marketplace/responses";
import { routeLead, transitionToNextPhase } from "../marketplace/routing";
import { makeDj, makeLead } from "../marketplace/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { generateVapidKeys } from "./channels";
import { registerNotifyJobs } from "./jobs";
import { signOfferLink, verifyOfferLink } from "./link";
import { attemptNotification } from "./send";
import type { NotifySettings } from "./settings";
import { checkVapid, decryptPush, makeBrowserKeys, startFakeTwilio, startPushEndpoint } from "./testing";

const SID = `AC${"a1".repeat(16)}`;
const TOKEN = "twilio-test-auth-token-0123456789";
const MIN = 60_000;

let t: TestDb;
let smtp: SMTPServer;
let smtpUrl = "";
const mails: string[] = [];
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
let push: Awaited<ReturnType<typeof startPushEndpoint>>;
let notify: NotifySettings;

beforeAll(async () => {
  t = await createTestDb({ max: 6 });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, cb) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        mails.push(text);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
  twilio = await startFakeTwilio(SID, TOKEN);
  push = await startPushEndpoint();
  const vapid = generateVapidKeys();
  notify = {
    linkSecret: "link-secret-for-tests-0123456789abcdef",
    linkTtlMinutes: 120,
    twilio: { accountSid: SID, authToken: TOKEN, from: "+19015550100", apiUrl: twilio.url },
    vapid: { ...vapid, subject: "mailto:ops@leadflow.test" },
  };
}, 60_000);

afterAll(async () => {
  closeMailTransports();
  await new Promise<void>((r) => smtp?.close(() => r()));
  await twilio?.close();
  await push?.close();
  await t?.drop();
});

function services(clock: ManualClock, over: Partial<Services> = {}): Services & { clock: ManualClock } {
  return { ...testServices(t.db, clock), notify, publicUrl: "https://leads.example.test", ...over } as Services & {
    clock: ManualClock;
  };
}

let cityN = 0;
/** A DJ with a login, in a city of its own (so no other test's DJ is eligible). */
async function djWithLogin(city: string, score = 90) {
  const user = await makeOrgUser(t.db, "dj");
  const dj = await makeDj(t.db, {
    city,
    orgId: user.orgId,
    routingScore: score,
    contactEmail: `dj${score}@example.test`,
  });
  return { user, dj };
}

const rowsOf = (leadId: string) => t.db.select().from(djNotifications).where(eq(djNotifications.leadId, leadId));
const eventsOf = (leadId: string) =>
  t.db
    .select()
    .from(marketLeadEvents)
    .where(and(eq(marketLeadEvents.leadId, leadId), eq(marketLeadEvents.kind, "notification")));

async function save(s: Services, user: Awaited<ReturnType<typeof makeOrgUser>>, over: Record<string, unknown>) {
  await callerAs(s, user).djNotify.saveSettings({
    email: false,
    emailTo: null,
    sms: false,
    smsTo: null,
    push: false,
    quietStart: null,
    quietEnd: null,
    timeZone: "America/Chicago",
    ...over,
  });
}

describe("DJ notifications", () => {
  it("writes one message per chosen channel with the offer, and emails the one-tap link through SMTP", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock, { smtpUrl });
    const city = `Mailville${++cityN}`;
    const a = await djWithLogin(city);
    await save(s, a.user, { email: true, emailTo: "beale@example.test", sms: true, smsTo: "+1 (901) 555-0123" });
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    const rows = await rowsOf(lead.id);
    expect(rows.map((r) => r.channel).sort()).toEqual(["email", "sms"]);
    expect(rows.every((r) => r.status === "queued")).toBe(true);

    const email = rows.find((r) => r.channel === "email")!;
    expect(await attemptNotification(s, email.id)).toBe("sent");
    const mail = mails.find((m) => m.includes("beale@example.test"));
    expect(mail).toBeDefined();
    const flat = mail!.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const token = decodeURIComponent(/\/offer\?t=([A-Za-z0-9_.%-]+)/.exec(flat)![1]!);
    const v = verifyOfferLink(notify.linkSecret, token, clock.now());
    expect(v).toMatchObject({ ok: true, offerId: email.assignmentId, userId: a.user.id });
    // The link opens the lead for its DJ once signed in.
    expect(await callerAs(s, a.user).djNotify.openLink({ token })).toEqual({ leadId: lead.id });

    const sms = rows.find((r) => r.channel === "sms")!;
    expect(await attemptNotification(s, sms.id)).toBe("sent");
    const text = twilio.state.sent.at(-1)!;
    expect(text).toMatchObject({ to: "+19015550123", from: "+19015550100" });
    expect(text.body).toContain("https://leads.example.test/offer?t=");
    // A second run of the same job sends nothing more.
    expect(await attemptNotification(s, sms.id)).toBe("skipped");
    expect(twilio.state.sent.filter((m) => m.to === "+19015550123")).toHaveLength(1);
    const events = await eventsOf(lead.id);
    expect(events.map((e) => [e.data.channel, e.data.attempt, e.data.result]).sort()).toEqual([
      ["email", 1, "sent"],
      ["sms", 1, "sent"],
    ]);
  });

  it("retries an SMS the provider refuses for a while, and records each attempt on the timeline", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock);
    const city = `Retryville${++cityN}`;
    const a = await djWithLogin(city);
    await save(s, a.user, { sms: true, smsTo: "+19015550124" });
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    const [sms] = await rowsOf(lead.id);
    twilio.state.failNext = 2;
    expect(await attemptNotification(s, sms!.id)).toBe("failed");
    clock.advance(5_000);
    expect(await attemptNotification(s, sms!.id)).toBe("failed");
    clock.advance(15_000);
    expect(await attemptNotification(s, sms!.id)).toBe("sent");
    const [row] = await rowsOf(lead.id);
    expect(row).toMatchObject({ status: "sent", attempts: 3, error: null });
    const events = await eventsOf(lead.id);
    expect(events.map((e) => `${e.data.attempt}:${e.data.result}`)).toEqual(["1:failed", "2:failed", "3:sent"]);
    expect(String(events[0]!.data.error)).toContain("503");
    expect(twilio.state.sent.filter((m) => m.to === "+19015550124")).toHaveLength(1);
  });

  it("a refused number is dead at once; the wrong credentials are refused by the provider", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const wrong = { ...notify, twilio: { ...notify.twilio!, authToken: "not-the-token-0123456789" } };
    const s = services(clock, { notify: wrong });
    const city = `Authville${++cityN}`;
    const a = await djWithLogin(city);
    await save(services(clock), a.user, { sms: true, smsTo: "+19015550125" });
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    const [sms] = await rowsOf(lead.id);
    expect(await attemptNotification(s, sms!.id)).toBe("dead");
    expect(twilio.state.refused.at(-1)).toEqual({ status: 401, why: "auth" });
  });

  it("pushes an encrypted payload with VAPID auth to each subscribed browser, and forgets a gone one", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock);
    const city = `Pushville${++cityN}`;
    const a = await djWithLogin(city);
    const phone = makeBrowserKeys();
    await callerAs(s, a.user).djNotify.subscribePush({
      endpoint: `${push.url}${phone.endpointPath}`,
      keys: { p256dh: phone.p256dh, auth: phone.auth },
    });
    await save(s, a.user, { push: true });
    expect((await callerAs(s, a.user).djNotify.settings()).browsersSubscribed).toBe(1);
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    const [msg] = await rowsOf(lead.id);
    expect(msg!.channel).toBe("push");
    expect(await attemptNotification(s, msg!.id)).toBe("sent");
    const got = push.state.received.find((r) => r.path === phone.endpointPath)!;
    expect(got.headers["content-encoding"]).toBe("aes128gcm");
    expect(Number(got.headers.ttl)).toBeGreaterThan(0);
    expect(checkVapid(got.headers.authorization, push.url, notify.vapid.publicKey)).toBeNull();
    expect(got.body.toString("latin1")).not.toContain("New lead");
    const payload = JSON.parse(decryptPush(got.body, phone)) as { title: string; url: string };
    expect(payload.title).toContain("New lead");
    expect(payload.url).toContain("/offer?t=");

    // The browser unsubscribed: 410 Gone removes it, and the message is dead (nothing left to reach).
    push.state.status = 410;
    try {
      const lead2 = await makeLead(t.db, { city, eventDate: "2026-06-21" });
      await routeLead(s, lead2.id);
      const [msg2] = await rowsOf(lead2.id);
      expect(await attemptNotification(s, msg2!.id)).toBe("dead");
      expect(await t.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, a.user.id))).toHaveLength(
        0,
      );
    } finally {
      push.state.status = 201;
    }
  });

  it("holds messages in the DJ's quiet hours without shortening the phase, and sends what is open when they end", async () => {
    // 23:30 in Memphis (CDT), quiet from 22:00 to 07:00.
    const clock = new ManualClock("2026-06-10T04:30:00Z");
    const s = services(clock);
    const city = `Quietville${++cityN}`;
    const a = await djWithLogin(city);
    await save(s, a.user, { sms: true, smsTo: "+19015550126", quietStart: "22:00", quietEnd: "07:00" });
    const lead = await makeLead(t.db, { city, eventDate: "2026-09-12", createdAt: clock.now() });
    // A long exclusive window, so the offer is still open in the morning.
    const timer = await routeLead(s, lead.id, { ...DEFAULT_ROUTING_CONFIG, exclusiveWindowMinutes: 10 * 60 });
    expect(timer!.dueAt.toISOString()).toBe("2026-06-10T14:30:00.000Z"); // the window is not shortened
    const [sms] = await rowsOf(lead.id);
    const before = twilio.state.sent.length;
    expect(await attemptNotification(s, sms!.id)).toBe("held");
    expect((await rowsOf(lead.id))[0]).toMatchObject({
      status: "held",
      nextAttemptAt: new Date("2026-06-10T12:00:00Z"), // 07:00 CDT
    });
    clock.advance(60 * MIN); // still quiet: a stray run sends nothing
    expect(await attemptNotification(s, sms!.id)).toBe("held");
    expect(twilio.state.sent.length).toBe(before);
    clock.set("2026-06-10T12:00:00Z");
    expect(await attemptNotification(s, sms!.id)).toBe("sent");
    expect(twilio.state.sent.at(-1)!.to).toBe("+19015550126");
    const events = await eventsOf(lead.id);
    expect(events.map((e) => e.data.result)).toEqual(["held", "sent"]);
  });

  it("does not send for an offer withdrawn meanwhile, and the inbox says why", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock);
    const city = `Withdrawville${++cityN}`;
    const djs: Awaited<ReturnType<typeof djWithLogin>>[] = [];
    for (let i = 0; i < 4; i++) djs.push(await djWithLogin(city, 90 - i));
    for (const [i, d] of djs.entries()) await save(s, d.user, { sms: true, smsTo: `+1901555020${i}` });
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    // The exclusive DJ's window ends before its SMS went out (a slow queue): not sent.
    clock.advance(15 * MIN);
    const [exclusive] = await rowsOf(lead.id);
    const sentBefore = twilio.state.sent.length;
    expect(await attemptNotification(s, exclusive!.id)).toBe("withdrawn");
    await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 });
    const tier = (await rowsOf(lead.id)).filter((r) => r.id !== exclusive!.id);
    expect(tier).toHaveLength(3);
    // One of the tier DJs accepts before the others' messages go out.
    await handleLeadResponse(s, { djId: djs[1]!.dj.id, leadId: lead.id, action: "accepted" });
    for (const r of tier.filter((r) => r.djId !== djs[1]!.dj.id))
      expect(await attemptNotification(s, r.id)).toBe("withdrawn");
    expect(twilio.state.sent.length).toBe(sentBefore);
    const rows = await rowsOf(lead.id);
    expect(rows.filter((r) => r.status === "withdrawn").map((r) => r.error)).toEqual(
      expect.arrayContaining(["the window ended", "another DJ took the lead"]),
    );
    const inboxOf = async (i: number) =>
      (await djInbox(t.db, djs[i]!.dj.id, clock.now())).find((x) => x.leadId === lead.id);
    expect((await inboxOf(0))!.outcome).toBe("window_ended");
    expect((await inboxOf(2))!.outcome).toBe("taken");
    expect((await inboxOf(1))!.outcome).toBe("accepted");
  });

  it("opens a signed link only for its user, and says so when it is expired or tampered with", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock);
    const city = `Linkville${++cityN}`;
    const a = await djWithLogin(city);
    const b = await djWithLogin(`${city}-other`);
    const lead = await makeLead(t.db, { city });
    await routeLead(s, lead.id);
    const [row] = await rowsOf(lead.id);
    const token = signOfferLink(notify.linkSecret, {
      offerId: row!.assignmentId,
      userId: a.user.id,
      expiresAt: new Date(clock.now().getTime() + 30 * MIN),
    });
    expect(await callerAs(s, a.user).djNotify.openLink({ token })).toEqual({ leadId: lead.id });
    await expect(callerAs(s, b.user).djNotify.openLink({ token })).rejects.toThrow("sent to another account");
    const [p, sig] = token.split(".") as [string, string];
    const flipped = `${p.slice(0, -2)}${p.at(-2) === "A" ? "B" : "A"}${p.at(-1)}.${sig}`;
    await expect(callerAs(s, a.user).djNotify.openLink({ token: flipped })).rejects.toThrow("not valid");
    await expect(callerAs(s, a.user).djNotify.openLink({ token: `${p}.${sig.slice(1)}` })).rejects.toThrow("not valid");
    // Signed with another server's key: tampered as far as this one knows.
    const foreign = signOfferLink("another-secret-0123456789abcdef0123", {
      offerId: row!.assignmentId,
      userId: a.user.id,
      expiresAt: new Date(clock.now().getTime() + 30 * MIN),
    });
    await expect(callerAs(s, a.user).djNotify.openLink({ token: foreign })).rejects.toThrow("not valid");
    clock.advance(31 * MIN);
    await expect(callerAs(s, a.user).djNotify.openLink({ token })).rejects.toThrow("expired");
  });

  it("validates the settings: a number without its country code, half a quiet span, a bad time zone", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = services(clock);
    const a = await djWithLogin(`Formville${++cityN}`);
    await expect(save(s, a.user, { sms: true, smsTo: "901-555-0123" })).rejects.toThrow("country code");
    await expect(save(s, a.user, { quietStart: "22:00" })).rejects.toThrow("both the start and the end");
    await expect(save(s, a.user, { timeZone: "Mars/Olympus" })).rejects.toThrow("time zone");
    await expect(
      save(services(clock, { notify: { ...notify, twilio: null } }), a.user, { sms: true, smsTo: "+19015550123" }),
    ).rejects.toThrow("SMS is not set up");
    const saved = await callerAs(s, a.user).djNotify.settings();
    expect(saved).toMatchObject({ email: true, sms: false }); // nothing half-written
  });

  it("through the job queue: the offer's messages are queued in its transaction and sent by the worker", async () => {
    // pg-boss runs in real time, so the clock is the machine's (retries fall due as it moves).
    const clock = systemClock as unknown as ManualClock;
    const boss = createBoss(t);
    await boss.start();
    try {
      const s = services(clock, { boss });
      await registerNotifyJobs(boss, s);
      const city = `Queueville${++cityN}`;
      const a = await djWithLogin(city);
      await save(s, a.user, { sms: true, smsTo: "+19015550199" });
      const eventDate = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
      const lead = await makeLead(t.db, { city, eventDate, createdAt: new Date() });
      twilio.state.failNext = 1; // the first attempt fails; the retry is queued and sent
      const { notifyRetry } = await import("./settings");
      const saved = [...notifyRetry.delaysSeconds];
      notifyRetry.delaysSeconds = [1, 1, 1];
      try {
        await routeLead(s, lead.id);
        // Until the row says how the attempt ended: the provider has the message a moment before
        // the worker writes "sent" (a busy machine widens that moment).
        const deadline = Date.now() + 30_000;
        const allSent = (rows: { status: string }[]) => rows.length > 0 && rows.every((r) => r.status === "sent");
        while (Date.now() < deadline && !allSent(await rowsOf(lead.id))) await new Promise((r) => setTimeout(r, 200));
      } finally {
        notifyRetry.delaysSeconds = saved;
      }
      expect(twilio.state.sent.filter((m) => m.to === "+19015550199")).toHaveLength(1);
      const [row] = await rowsOf(lead.id);
      expect(row).toMatchObject({ status: "sent", attempts: 2 });
    } finally {
      await boss.stop({ graceful: true, wait: true });
    }
  }, 60_000);
});
