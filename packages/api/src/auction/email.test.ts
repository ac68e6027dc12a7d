// Email delivery: through nodemailer to a real SMTP server on loopback when SMTP_URL is set, into
// the outbox otherwise. Contractors only, so no HTTP buyer is involved.
import { buyers, buyerZips, deliveries, emailOutbox, orgs, transactions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context";
import { silentLog } from "../testing";
import { submitLead } from "./submit";

let t: TestDb;
let smtp: SMTPServer;
let port = 0;
const mails: string[] = [];
let sellerOrgId = "";

beforeAll(async () => {
  t = await createTestDb();
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
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  port = (smtp.server.address() as AddressInfo).port;
  const [seller] = await t.db.insert(orgs).values({ name: "S", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "C", kind: "contractor" }).returning();
  sellerOrgId = seller!.id;
  await t.db.insert(verticals).values({ key: "solar", name: "Solar" });
  const [b] = await t.db
    .insert(buyers)
    .values({ orgId: org!.id, name: "Sunny", type: "CONTRACTOR", verticals: ["solar"], pricingModel: "FIXED", fixedLeadPriceCents: 4200, notifyEmail: true, notificationEmail: "sales@sunny.test", notifyDashboard: false, duplicateLookbackDays: 0 })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
});
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await t?.drop();
});

const body = (n: number) => ({
  vertical: "solar",
  zip: "85001",
  contact: { firstName: "Grace", lastName: "Hopper", phone: `602555${String(n).padStart(4, "0")}` },
});

function services(smtpUrl?: string): Services {
  return { db: t.db, clock: new ManualClock("2026-03-02T16:00:00Z"), log: silentLog, publicUrl: "http://leadflow.test", smtpUrl };
}

describe("email delivery", () => {
  it("sends through SMTP when SMTP_URL is set and records EMAIL on the transaction", async () => {
    const r = await submitLead(services(`smtp://127.0.0.1:${port}`), { orgId: sellerOrgId, role: "seller" }, body(1), true);
    expect(r.status).toBe("SOLD");
    expect(mails.some((m) => m.includes("Grace Hopper") && m.includes("sales@sunny.test"))).toBe(true);
    const [d] = await t.db.select().from(deliveries).where(eq(deliveries.leadId, r.id));
    expect(d).toMatchObject({ method: "EMAIL", status: "delivered" });
    const [o] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.leadId, r.id));
    expect(o).toMatchObject({ status: "sent", to: "sales@sunny.test" });
    const [tx] = await t.db.select().from(transactions).where(eq(transactions.leadId, r.id));
    expect(tx).toMatchObject({ deliveryMethod: "EMAIL", priceCents: 4200 });
  });

  it("puts the email in the outbox when there is no SMTP_URL", async () => {
    const before = mails.length;
    const r = await submitLead(services(), { orgId: sellerOrgId, role: "seller" }, body(2), true);
    const [o] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.leadId, r.id));
    expect(o).toMatchObject({ status: "outbox", subject: "New solar lead in 85001" });
    expect(o!.text).toContain("602555");
    expect(mails.length).toBe(before);
  });
});
