// Email delivery against a real SMTP server on loopback (smtp-server), through the real server
// process (proof-server.ts: production code, sweeps every second with windows of seconds, email
// retries a second apart):
// 1. an outage: eight leads sold while nothing listens on SMTP_URL's port; when the SMTP server
//    comes up, every email arrives, each exactly once (counted by Message-ID);
// 2. a SIGKILL between send and record: the SMTP server has the message when the process dies;
//    after the restart the email is found `sending`, becomes `unknown` (never resent on its own),
//    and the SMTP server still has exactly one copy, while a later lead's email goes through.
import { createApiKey } from "@leadflow/api";
import { buyers, buyerZips, deliveries, emailOutbox, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq, inArray } from "drizzle-orm";
import { createServer, type AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { leadBody, postLead, PROOF_SERVER, sleep, startChild, waitUntil, type Child } from "./harness";

const PORT = 3337;
const base = `http://127.0.0.1:${PORT}`;
let t: TestDb;
let apiKey = "";
let smtpPort = 0;
let smtp: SMTPServer | null = null;
let child: Child | null = null;
/** Message-ID → copies the SMTP server accepted. */
const received = new Map<string, number>();
/** When set, the next message's arrival SIGKILLs the LeadFlow process before the 250 answer. */
let killOnNextMessage = false;

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  const [seller] = await t.db.insert(orgs).values({ name: "Mail seller", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "Mail contractor", kind: "contractor" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", floorCents: 0 });
  apiKey = (await createApiKey(t.db, seller!.id, "mail proof")).key;
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org!.id,
      name: "Mail roofer",
      type: "CONTRACTOR",
      verticals: ["roofing"],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      notifyEmail: true,
      notifyDashboard: false,
      notificationEmail: "crm@roofer.test",
      duplicateLookbackDays: 0,
    })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  // A port nothing listens on yet: the outage.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  smtpPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(async () => {
  if (child) {
    child.kill("SIGTERM");
    await Promise.race([child.exited, sleep(8000)]);
    child.kill("SIGKILL");
  }
  if (smtp) await new Promise<void>((r) => smtp!.close(() => r()));
  await t?.drop();
});

function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, cb) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        const id = /^Message-ID: (<[^>]+>)/im.exec(text)?.[1] ?? "(none)";
        received.set(id, (received.get(id) ?? 0) + 1);
        if (killOnNextMessage && child) {
          killOnNextMessage = false;
          const dying = child;
          dying.kill("SIGKILL");
          void dying.exited.then(() => cb());
          return;
        }
        cb();
      });
    },
  });
  return new Promise<void>((r) => smtp!.listen(smtpPort, "127.0.0.1", () => r()));
}

async function startLeadFlow(): Promise<void> {
  child = startChild(PROOF_SERVER, {
    DATABASE_URL: t.url,
    HOST: "127.0.0.1",
    PORT: String(PORT),
    RUN_WORKERS: "true",
    DASHBOARD_DIR: "/nonexistent-dashboard",
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_FROM: "LeadFlow <leads@mail.example.com>",
  });
  await child.ready;
}

const outboxFor = (leadIds: string[]) => t.db.select().from(emailOutbox).where(inArray(emailOutbox.leadId, leadIds));

async function sell(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await postLead(base, apiKey, leadBody(`${tag}-${i}`, "30301"), true);
    expect(r.status).toBeLessThan(300);
    const body = r.body as { id: string; status: string };
    expect(body.status).toBe("SOLD");
    ids.push(body.id);
  }
  return ids;
}

it("delivers every email once after an SMTP outage", async () => {
  await startLeadFlow();
  const leads = await sell(8, "outage");
  await waitUntil(
    "every email's first attempt to fail",
    async () => (await outboxFor(leads)).filter((m) => m.status === "failed" && m.attempts >= 1).length === 8,
    60_000,
  );
  const failed = await outboxFor(leads);
  for (const m of failed) expect(m.error).toMatch(/ECONNREFUSED/);
  await startSmtp();
  await waitUntil(
    "every email to be sent",
    async () => (await outboxFor(leads)).every((m) => m.status === "sent"),
    90_000,
  );
  const sent = await outboxFor(leads);
  expect(sent).toHaveLength(8);
  for (const m of sent) expect(received.get(m.messageId!)).toBe(1);
  const dels = await t.db.select().from(deliveries).where(inArray(deliveries.leadId, leads));
  expect(dels.map((d) => d.status)).toEqual(Array(8).fill("delivered"));
}, 240_000);

it("sends no duplicate when the process is killed between the send and its record", async () => {
  killOnNextMessage = true;
  const [leadId] = await sell(1, "kill").catch(() => [] as string[]);
  const dead = child!;
  await dead.exited;
  // The lead was sold before the email left (its REST answer came first), or the kill cut the
  // answer: find it by what the SMTP server holds.
  await waitUntil(
    "the killed email to be held by the SMTP server",
    async () => [...received.values()].reduce((a, b) => a + b, 0) === 9,
    30_000,
  );
  const [held] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.status, "sending"));
  expect(held).toBeDefined();
  if (leadId) expect(held!.leadId).toBe(leadId);
  expect(received.get(held!.messageId!)).toBe(1);

  await startLeadFlow();
  await waitUntil(
    "the half-sent email to be marked unknown",
    async () => (await t.db.select().from(emailOutbox).where(eq(emailOutbox.id, held!.id)))[0]!.status === "unknown",
    60_000,
  );
  // The queue and the sweep keep running: a later lead's email goes through.
  const later = await sell(1, "after");
  await waitUntil("the later email to be sent", async () => (await outboxFor(later))[0]?.status === "sent", 60_000);
  const [m] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.id, held!.id));
  expect(m).toMatchObject({ status: "unknown", attempts: 1 });
  expect(received.get(held!.messageId!)).toBe(1);
  const [d] = await t.db.select().from(deliveries).where(eq(deliveries.id, m!.deliveryId!));
  expect(d).toMatchObject({ status: "dead" });
}, 240_000);
