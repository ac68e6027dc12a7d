// Getting a sold lead to a contractor: a dashboard notification, an email (through the outbox and
// the delivery queue, packages/api/src/email/outbox.ts) and a webhook signed the Standard Webhooks
// way. A failed webhook is retried with exponential backoff: each failure records its next attempt
// time and queues the job for exactly that time (so the lead page shows the time the queue uses);
// every attempt carries the same webhook-id (so the receiver can drop repeats) and a fresh
// timestamp and signature. After the last attempt: dead, with the last error. The first method
// that delivers is recorded on the buyer's transaction.
import {
  getDelivery,
  getDeliveryContext,
  getDeliverySchedule,
  getOutboxOfDelivery,
  insertNotification,
  listDeliveriesByIds,
  type LeadRow,
} from "@leadflow/db";
import { formatCents } from "@leadflow/engine";
import { Webhook } from "standardwebhooks";
import type { Services } from "../context";
import { OutboundRefused } from "../outbound/guard";
import { leadEmail } from "../email/lead-email";
import { attemptEmail, queueMail, startEmail } from "../email/outbox";
import { markDelivered, markFailed, type DeliveryRow } from "./delivery-record";
import { errorText, postJson } from "./http";
import { queueDeliveryJob, type DeliveryJobData } from "./queues";

/** Mutable so tests can retry within seconds; production waits 10 s, 20 s, 40 s … (8 retries, about 42 min). */
export const webhookRetry = { limit: 8, delaySeconds: 10, timeoutMs: 10_000 };

/** When the next webhook attempt runs after `attempts` failures; null after the last (dead). */
export function nextWebhookAttempt(attempts: number, now: Date): Date | null {
  if (attempts > webhookRetry.limit) return null;
  return new Date(now.getTime() + webhookRetry.delaySeconds * 1000 * 2 ** (attempts - 1));
}

/** Runs the instant methods now and hands webhooks and emails to the queue (or tries once inline without one). */
export async function dispatchDeliveries(s: Services, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await listDeliveriesByIds(s.db, ids);
  for (const d of rows) {
    try {
      if (d.method === "WEBHOOK") {
        if (s.boss)
          await queueDeliveryJob(
            s.boss,
            { deliveryId: d.id },
            d.status === "failed" && d.nextAttemptAt && d.nextAttemptAt > s.clock.now() ? d.nextAttemptAt : undefined,
            s.clock.now(),
          );
        else await attemptWebhook(s, d.id);
      } else if (d.method === "DASHBOARD") {
        await notify(s, d);
      } else {
        await sendEmail(s, d);
      }
    } catch (err) {
      s.log.error({ err, deliveryId: d.id }, "delivery dispatch failed");
      // Left pending or failed: the sweep dispatches it again.
    }
  }
}

async function context(s: Services, d: DeliveryRow) {
  const row = await getDeliveryContext(s.db, d.leadId, d.buyerId);
  if (!row) throw new Error("lead or buyer is gone");
  return row;
}

export function leadPayload(lead: LeadRow, priceCents: number | null, at: Date) {
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
  const d = await getDelivery(s.db, deliveryId);
  if (!d || d.status === "delivered" || d.status === "dead") return true;
  const { lead, buyer, priceCents } = await context(s, d);
  if (!buyer.webhookUrl || !buyer.webhookSecret) {
    await markFailed(s, d, d.attempts + 1, "no webhook URL or signing secret configured", null);
    return true; // retrying cannot help
  }
  const now = s.clock.now();
  const body = JSON.stringify(leadPayload(lead, priceCents, now));
  let error: string;
  let refused = false;
  try {
    const signature = new Webhook(buyer.webhookSecret).sign(d.webhookId, now, body);
    const headers = {
      "webhook-id": d.webhookId,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    };
    const res = await postJson(
      s.outbound,
      buyer.webhookUrl,
      body,
      AbortSignal.timeout(webhookRetry.timeoutMs),
      headers,
      16 * 1024,
    );
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
  const next = refused ? null : nextWebhookAttempt(d.attempts + 1, s.clock.now());
  await markFailed(s, d, d.attempts + 1, error, next);
  if (next && s.boss) await queueDeliveryJob(s.boss, { deliveryId: d.id }, next, s.clock.now());
  return next === null;
}

async function notify(s: Services, d: DeliveryRow) {
  const { lead, buyer, priceCents } = await context(s, d);
  await markDelivered(s, d, "DASHBOARD", 1, (tx) =>
    insertNotification(tx, {
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

/**
 * The lead's email: written to the outbox once per delivery (its Message-ID made from the
 * delivery id), then sent by the queue with retries. Without SMTP_URL the outbox row is the
 * delivery (the dashboard shows it), recorded delivered with it in one transaction.
 */
async function sendEmail(s: Services, d: DeliveryRow) {
  const had = await getOutboxOfDelivery(s.db, d.id);
  if (had) {
    await startEmail(s, had.id, had.nextAttemptAt && had.nextAttemptAt > s.clock.now() ? had.nextAttemptAt : undefined);
    return;
  }
  const { lead, buyer, priceCents } = await context(s, d);
  const mail = {
    kind: "lead",
    to: buyer.notificationEmail ?? "",
    orgId: buyer.orgId,
    leadId: lead.id,
    deliveryId: d.id,
    ...leadEmail(lead, priceCents, s.publicUrl),
  };
  if (!s.smtpUrl) {
    await markDelivered(s, d, "EMAIL", 1, (tx) => queueMail(s, tx, mail));
    return;
  }
  await startEmail(s, await queueMail(s, s.db, mail));
}

/**
 * The pg-boss worker for one attempt. A webhook job that runs before its row's next attempt time
 * (a duplicate, or a pg-boss retry of a job that did record its failure) does nothing.
 */
export async function deliveryJob(s: Services, data: DeliveryJobData): Promise<void> {
  if ("emailId" in data) return attemptEmail(s, data.emailId);
  const d = await getDeliverySchedule(s.db, data.deliveryId);
  // A job queued for an attempt that was since moved later (a newer failure queued its own) is
  // stale: the newer job makes that attempt. A job without a due time (a dispatch, the sweep)
  // waits for the recorded time.
  const due = data.due ? Date.parse(data.due) : s.clock.now().getTime();
  if (d?.status === "failed" && d.nextAttemptAt && d.nextAttemptAt.getTime() > due + 2000) return;
  await attemptWebhook(s, data.deliveryId);
}
