// Getting a sold lead to a contractor: a dashboard notification, an email (SMTP, or the outbox
// when no SMTP_URL is set) and a webhook signed the Standard Webhooks way. Webhooks are retried
// with exponential backoff by pg-boss; every attempt carries the same webhook-id (so the receiver
// can drop repeats) and a fresh timestamp and signature. After the last attempt: dead, with the
// last error. The first method that delivers is recorded on the buyer's transaction.
import { buyers, deliveries, emailOutbox, leadEvents, leads, notifications, transactions, type Tx } from "@leadflow/db";
import { formatCents } from "@leadflow/engine";
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { Webhook } from "standardwebhooks";
import type { Services } from "../context";
import { OutboundRefused } from "../outbound/guard";
import { errorText, postJson } from "./http";
import { DELIVERY_QUEUE, ensureAuctionQueues } from "./queues";

/** Mutable so tests can retry within seconds; production waits 10 s, 20 s, 40 s … */
export const webhookRetry = { limit: 8, delaySeconds: 10, timeoutMs: 10_000 };

type DeliveryRow = typeof deliveries.$inferSelect;

/** Runs the instant methods now and hands webhooks to the queue (or tries once inline without one). */
export async function dispatchDeliveries(s: Services, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await s.db.select().from(deliveries).where(inArray(deliveries.id, [...ids]));
  for (const d of rows) {
    try {
      if (d.method === "WEBHOOK") {
        if (s.boss) {
          await ensureAuctionQueues(s.boss);
          await s.boss.send(DELIVERY_QUEUE, { deliveryId: d.id }, {
            retryLimit: webhookRetry.limit,
            retryDelay: webhookRetry.delaySeconds,
            retryBackoff: true,
          });
        } else {
          await attemptWebhook(s, d.id);
        }
      } else if (d.method === "DASHBOARD") {
        await notify(s, d);
      } else {
        await sendEmail(s, d);
      }
    } catch (err) {
      s.log.error({ err, deliveryId: d.id }, "delivery dispatch failed");
      await markFailed(s, d, errorText(err), true);
    }
  }
}

async function context(s: Services, d: DeliveryRow) {
  const [row] = await s.db
    .select({ lead: leads, buyer: buyers, priceCents: transactions.priceCents })
    .from(leads)
    .innerJoin(buyers, eq(buyers.id, d.buyerId))
    .leftJoin(transactions, and(eq(transactions.leadId, leads.id), eq(transactions.buyerId, d.buyerId)))
    .where(eq(leads.id, d.leadId));
  if (!row) throw new Error("lead or buyer is gone");
  return row;
}

export function leadPayload(lead: typeof leads.$inferSelect, priceCents: number | null, at: Date) {
  return {
    type: "lead.delivered",
    timestamp: at.toISOString(),
    data: {
      leadId: lead.id,
      vertical: lead.vertical,
      zip: lead.zip,
      state: lead.state,
      contact: lead.contact,
      consent: lead.consent,
      fields: lead.customFields,
      priceCents,
    },
  };
}

/** One webhook attempt. Returns true when delivered; the row says what happened either way. */
export async function attemptWebhook(s: Services, deliveryId: string): Promise<boolean> {
  const [d] = await s.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!d || d.status === "delivered" || d.status === "dead") return true;
  const { lead, buyer, priceCents } = await context(s, d);
  if (!buyer.webhookUrl || !buyer.webhookSecret) {
    await markFailed(s, d, "no webhook URL or signing secret configured", true);
    return true; // retrying cannot help
  }
  const now = s.clock.now();
  const body = JSON.stringify(leadPayload(lead, priceCents, now));
  let error: string;
  let refused = false;
  try {
    const signature = new Webhook(buyer.webhookSecret).sign(d.webhookId, now, body);
    const headers = { "webhook-id": d.webhookId, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": signature };
    const res = await postJson(s.outbound, buyer.webhookUrl, body, AbortSignal.timeout(webhookRetry.timeoutMs), headers, 16 * 1024);
    if (res.status >= 200 && res.status < 300) {
      await markDelivered(s, d, "WEBHOOK", d.attempts + 1);
      return true;
    }
    error = `HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 200)}` : ""}`;
  } catch (err) {
    error = errorText(err);
    // The outbound guard refused a private address: a policy, not an outage; retrying can't help.
    refused = err instanceof OutboundRefused;
  }
  const dead = refused || d.attempts + 1 > webhookRetry.limit;
  await markFailed(s, d, error, dead);
  return dead;
}

/**
 * Marks the delivery done, once: the row is updated first (and locked) only if not yet delivered,
 * and `alongside` (the notification, the outbox row) is written in the same transaction, so a
 * delivery dispatched again after a crash cannot notify twice.
 */
async function markDelivered(s: Services, d: DeliveryRow, method: DeliveryRow["method"], attempts: number, alongside?: (tx: Tx) => Promise<unknown>) {
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const [first] = await tx
      .update(deliveries)
      .set({ status: "delivered", attempts, deliveredAt: now, lastError: null, nextAttemptAt: null })
      .where(and(eq(deliveries.id, d.id), ne(deliveries.status, "delivered")))
      .returning({ id: deliveries.id });
    if (!first) return;
    await alongside?.(tx);
    await tx
      .update(transactions)
      .set({ deliveryMethod: method })
      .where(and(eq(transactions.leadId, d.leadId), eq(transactions.buyerId, d.buyerId), isNull(transactions.deliveryMethod)));
    await tx.insert(leadEvents).values({ leadId: d.leadId, at: now, kind: "delivery", buyerId: d.buyerId, data: { method, status: "delivered", attempts } });
  });
}

async function markFailed(s: Services, d: DeliveryRow, error: string, dead: boolean) {
  const now = s.clock.now();
  const attempts = d.attempts + 1;
  const next = dead ? null : new Date(now.getTime() + webhookRetry.delaySeconds * 1000 * 2 ** (attempts - 1));
  await s.db.transaction(async (tx) => {
    await tx.update(deliveries).set({ status: dead ? "dead" : "failed", attempts, lastError: error, nextAttemptAt: next }).where(eq(deliveries.id, d.id));
    await tx.insert(leadEvents).values({ leadId: d.leadId, at: now, kind: "delivery", buyerId: d.buyerId, data: { method: d.method, status: dead ? "dead" : "failed", attempts, error } });
  });
}

async function notify(s: Services, d: DeliveryRow) {
  const { lead, buyer, priceCents } = await context(s, d);
  await markDelivered(s, d, "DASHBOARD", 1, (tx) =>
    tx.insert(notifications).values({
      orgId: buyer.orgId,
      leadId: lead.id,
      kind: "lead.delivered",
      title: `New ${lead.vertical} lead in ${lead.zip}`,
      body: `${lead.contact.firstName} ${lead.contact.lastName}${priceCents ? ` · ${formatCents(priceCents)}` : ""}`,
      data: { leadId: lead.id, buyerId: buyer.id },
      createdAt: s.clock.now(),
    }),
  );
}

const transports = new Map<string, Transporter>();

async function sendEmail(s: Services, d: DeliveryRow) {
  const { lead, buyer, priceCents } = await context(s, d);
  const to = buyer.notificationEmail ?? "";
  const c = lead.contact;
  const subject = `New ${lead.vertical} lead in ${lead.zip}`;
  const text = [
    `${c.firstName} ${c.lastName}`,
    c.phone ? `Phone: ${c.phone}` : null,
    c.email ? `Email: ${c.email}` : null,
    c.address ? `Address: ${c.address}` : null,
    `Zip: ${lead.zip}${lead.state ? ` (${lead.state})` : ""}`,
    priceCents ? `Price: ${formatCents(priceCents)}` : null,
    `Lead: ${s.publicUrl}/leads/${lead.id}`,
  ]
    .filter(Boolean)
    .join("\n");
  const base = { orgId: buyer.orgId, leadId: lead.id, to, subject, text, createdAt: s.clock.now() };
  if (!s.smtpUrl) {
    await markDelivered(s, d, "EMAIL", 1, (tx) => tx.insert(emailOutbox).values({ ...base, status: "outbox" }));
    return;
  }
  let transport = transports.get(s.smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(s.smtpUrl);
    transports.set(s.smtpUrl, transport);
  }
  try {
    await transport.sendMail({ from: "LeadFlow <leads@leadflow.invalid>", to, subject, text });
    await s.db.insert(emailOutbox).values({ ...base, status: "sent", sentAt: s.clock.now() });
    await markDelivered(s, d, "EMAIL", 1);
  } catch (err) {
    await s.db.insert(emailOutbox).values({ ...base, status: "failed", error: errorText(err) });
    await markFailed(s, d, errorText(err), true);
  }
}

/** The pg-boss worker: throwing makes pg-boss retry with backoff; the last failure is marked dead. */
export async function deliveryJob(s: Services, deliveryId: string): Promise<void> {
  const settled = await attemptWebhook(s, deliveryId);
  if (!settled) throw new Error(`webhook delivery ${deliveryId} failed; will retry`);
}
