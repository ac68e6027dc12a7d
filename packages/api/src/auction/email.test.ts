// Email delivery through nodemailer to a real SMTP server on loopback (smtp-server) when SMTP_URL
// is set, into the outbox otherwise: the message's parts and content, a transient refusal retried
// on the schedule and delivered once, a permanent 550 dead at once with a reason the contractor
// can read (and no host or port), a lead's markup inert in the HTML part, and a resend by hand.
import { buyers, buyerZips, deliveries, emailOutbox, leadEvents, orgs, transactions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { emailRetry } from "../email/outbox";
import { silentLog } from "../testing";
import { submitLead } from "./submit";
import { getLeadDetail } from "./view";

let t: TestDb;
let smtp: SMTPServer;
let port = 0;
const mails: string[] = [];
let sellerOrgId = "";
let buyerOrgId = "";
let buyerId = "";
/** While set, the server answers every connection with 421 (a transient refusal). */
let busy = false;

beforeAll(async () => {
  t = await createTestDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onConnect(_session, cb) {
      if (busy) return cb(Object.assign(new Error("Too busy, try later"), { responseCode: 421 }));
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("nobody@"))
        return cb(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        mails.push(text);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  port = (smtp.server.address() as AddressInfo).port;
  const [seller] = await t.db.insert(orgs).values({ name: "S", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "C", kind: "contractor" }).returning();
  sellerOrgId = seller!.id;
  buyerOrgId = org!.id;
  await t.db.insert(verticals).values({ key: "solar", name: "Solar" });
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org!.id,
      name: "Sunny",
      type: "CONTRACTOR",
      verticals: ["solar"],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 4200,
      notifyEmail: true,
      notificationEmail: "sales@sunny.test",
      notifyDashboard: false,
      duplicateLookbackDays: 0,
    })
    .returning();
  buyerId = b!.id;
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await t?.drop();
});

const body = (n: number, extra: Record<string, unknown> = {}) => ({
  vertical: "solar",
  zip: "85001",
  contact: { firstName: "Grace", lastName: "Hopper", phone: `602555${String(n).padStart(4, "0")}` },
  ...extra,
});

const clock = new ManualClock("2026-03-02T16:00:00Z");
function services(smtpUrl?: string): Services {
  return {
    db: t.db,
    clock,
    log: silentLog,
    publicUrl: "http://leadflow.test",
    smtpUrl,
    smtpFrom: "LeadFlow <leads@mail.example.com>",
    smtpReplyTo: "help@example.com",
  };
}
const seller = () => ({ orgId: sellerOrgId, role: "seller" as const });
const withId = (messageId: string) => mails.filter((m) => m.includes(`Message-ID: ${messageId}`));
const outboxOf = async (leadId: string) =>
  (await t.db.select().from(emailOutbox).where(eq(emailOutbox.leadId, leadId)))[0]!;
const deliveryOf = async (leadId: string) =>
  (await t.db.select().from(deliveries).where(eq(deliveries.leadId, leadId)))[0]!;

describe("email delivery", () => {
  it("sends an HTML and a text part from SMTP_FROM, with city, custom fields and a link, and records EMAIL on the transaction", async () => {
    const r = await submitLead(
      services(`smtp://127.0.0.1:${port}`),
      seller(),
      body(1, {
        contact: { firstName: "Grace", lastName: "Hopper", phone: "6025550001", city: "Phoenix" },
        customFields: { roof_age: 12, panels: "south, west", shaded: true },
      }),
      true,
    );
    expect(r.status).toBe("SOLD");
    const o = await outboxOf(r.id);
    expect(o).toMatchObject({
      status: "sent",
      to: "sales@sunny.test",
      kind: "lead",
      attempts: 1,
      subject: "New solar lead in Phoenix 85001",
    });
    expect(o.messageId).toBe(`<${o.deliveryId}@mail.example.com>`);
    const [m] = withId(o.messageId!);
    expect(m).toBeDefined();
    expect(m).toContain("From: LeadFlow <leads@mail.example.com>");
    expect(m).toContain("Reply-To: help@example.com");
    expect(m).toContain("To: sales@sunny.test");
    expect(m).toMatch(/Content-Type: multipart\/alternative/);
    expect(m).toMatch(/Content-Type: text\/plain/);
    expect(m).toMatch(/Content-Type: text\/html/);
    expect(o.text).toContain("Where: Phoenix, 85001");
    expect(o.text).toContain("Roof age: 12");
    expect(o.text).toContain("Panels: south, west");
    expect(o.text).toContain("Shaded: true");
    expect(o.text).toContain(`http://leadflow.test/leads/${r.id}`);
    expect(o.html).toContain(`href="http://leadflow.test/leads/${r.id}"`);
    expect(o.html).toContain("Phoenix");
    const d = await deliveryOf(r.id);
    expect(d).toMatchObject({ method: "EMAIL", status: "delivered", attempts: 1 });
    const [tx] = await t.db.select().from(transactions).where(eq(transactions.leadId, r.id));
    expect(tx).toMatchObject({ deliveryMethod: "EMAIL", priceCents: 4200 });
  });

  it("keeps a lead's markup inert in the HTML part", async () => {
    const evil = {
      firstName: `<script>alert("x")</script>`,
      lastName: `O'Brien "Bob" <img src=x onerror=alert(1)>`,
      phone: "6025550002",
    };
    const r = await submitLead(
      services(`smtp://127.0.0.1:${port}`),
      seller(),
      body(2, { contact: evil, customFields: { note: `</td><script>bad()</script>` } }),
      true,
    );
    const o = await outboxOf(r.id);
    expect(o.status).toBe("sent");
    expect(o.html).not.toMatch(/<script|<img|<\/td><script/i);
    expect(o.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(o.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(o.html).toContain("&lt;/td&gt;&lt;script&gt;bad()&lt;/script&gt;");
    expect(withId(o.messageId!)).toHaveLength(1);
  });

  it("retries a transient refusal (421) on the schedule and delivers it once when the server answers again", async () => {
    busy = true;
    const s = services(`smtp://127.0.0.1:${port}`);
    const r = await submitLead(s, seller(), body(3), true);
    const first = await outboxOf(r.id);
    expect(first).toMatchObject({ status: "failed", attempts: 1, responseCode: 421 });
    expect(first.nextAttemptAt!.getTime()).toBe(clock.now().getTime() + emailRetry.delaysSeconds[0]! * 1000);
    const d = await deliveryOf(r.id);
    expect(d).toMatchObject({ status: "failed", attempts: 1 });
    expect(d.nextAttemptAt!.getTime()).toBe(first.nextAttemptAt!.getTime());
    // The contractor's lead page: its own words, no host or port, the retry time.
    const page = await getLeadDetail(s, { orgId: buyerOrgId, role: "contractor" }, r.id);
    const mine = page.deliveries.find((x) => x.method === "EMAIL")!;
    expect(mine.lastError).toBe("The email could not be sent yet; LeadFlow will try again.");
    expect(mine.nextAttemptAt!.getTime()).toBe(first.nextAttemptAt!.getTime());
    expect(JSON.stringify(page)).not.toContain("127.0.0.1");
    expect(JSON.stringify(page)).not.toContain(String(port));
    const admin = await getLeadDetail(s, { orgId: sellerOrgId, role: "admin" }, r.id);
    expect(admin.deliveries.find((x) => x.method === "EMAIL")!.lastError).toContain("421");
    // A job that runs early does nothing; at the retry time, it is sent once.
    const { attemptEmail } = await import("../email/outbox");
    busy = false;
    await attemptEmail(s, first.id);
    expect((await outboxOf(r.id)).attempts).toBe(1);
    clock.set(first.nextAttemptAt!);
    await attemptEmail(s, first.id);
    await attemptEmail(s, first.id);
    expect(await outboxOf(r.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await deliveryOf(r.id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(withId(first.messageId!)).toHaveLength(1);
  });

  it("marks a permanent 550 dead at once with a reason, and a resend by hand is recorded on the timeline", async () => {
    await t.db.update(buyers).set({ notificationEmail: "nobody@sunny.test" }).where(eq(buyers.id, buyerId));
    const s = services(`smtp://127.0.0.1:${port}`);
    const r = await submitLead(s, seller(), body(4), true);
    const o = await outboxOf(r.id);
    expect(o).toMatchObject({ status: "dead", attempts: 1, responseCode: 550, nextAttemptAt: null });
    expect(o.error).toContain("550");
    expect(await deliveryOf(r.id)).toMatchObject({ status: "dead", attempts: 1 });
    const page = await getLeadDetail(s, { orgId: buyerOrgId, role: "contractor" }, r.id);
    expect(page.deliveries.find((x) => x.method === "EMAIL")!.lastError).toBe(
      "The mail server refused the address nobody@sunny.test. Check the notification email in your delivery settings.",
    );
    expect(JSON.stringify(page.events)).not.toContain("127.0.0.1");
    expect(withId(o.messageId!)).toHaveLength(0);

    await t.db.update(buyers).set({ notificationEmail: "sales@sunny.test" }).where(eq(buyers.id, buyerId));
    await t.db.update(emailOutbox).set({ to: "sales@sunny.test" }).where(eq(emailOutbox.id, o.id));
    const { resendEmail } = await import("../email/outbox");
    expect(
      await resendEmail(s, o.id, {
        userId: "00000000-0000-0000-0000-000000000000",
        role: "contractor",
        orgId: sellerOrgId,
      }),
    ).toEqual({ resent: false, found: false });
    expect(
      await resendEmail(s, o.id, { userId: "00000000-0000-0000-0000-000000000000", role: "admin", orgId: sellerOrgId }),
    ).toEqual({ resent: true, found: true });
    expect(await outboxOf(r.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await deliveryOf(r.id)).toMatchObject({ status: "delivered" });
    expect(withId(o.messageId!)).toHaveLength(1);
    const ev = await t.db
      .select()
      .from(leadEvents)
      .where(and(eq(leadEvents.leadId, r.id), eq(leadEvents.kind, "delivery")));
    expect(ev.map((e) => e.data.status)).toEqual(["dead", "resent", "delivered"]);
  });

  it("puts the email in the outbox when there is no SMTP_URL", async () => {
    const before = mails.length;
    const r = await submitLead(services(), seller(), body(5), true);
    const o = await outboxOf(r.id);
    expect(o).toMatchObject({ status: "outbox", subject: "New solar lead in 85001" });
    expect(o.text).toContain("602555");
    expect(mails.length).toBe(before);
  });

  it("retries a refused connection (nothing listening) and ends dead after the bounded schedule", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = services(`smtp://127.0.0.1:${deadPort}`);
    const r = await submitLead(s, seller(), body(6), true);
    const o = await outboxOf(r.id);
    expect(o).toMatchObject({ status: "failed", attempts: 1, responseCode: null });
    expect(o.error).toMatch(/ECONNREFUSED/);
    const { attemptEmail } = await import("../email/outbox");
    for (let i = 1; i <= emailRetry.delaysSeconds.length; i++) {
      clock.set((await outboxOf(r.id)).nextAttemptAt!);
      await attemptEmail(s, o.id);
    }
    const last = await outboxOf(r.id);
    expect(last).toMatchObject({ status: "dead", attempts: emailRetry.delaysSeconds.length + 1, nextAttemptAt: null });
    const page = await getLeadDetail(s, { orgId: buyerOrgId, role: "contractor" }, r.id);
    expect(page.deliveries.find((x) => x.method === "EMAIL")!.lastError).toBe(
      `The email could not be sent after ${emailRetry.delaysSeconds.length + 1} attempts.`,
    );
  });
});
