// Sending a seller's status events (docs/api.md "Seller status webhooks"). The rows are written
// by triggers when a lead ends or a return is credited (migration 0014) and by the test button;
// each attempt is a pg-boss job. An attempt claims its row (seller_webhook_deliveries.locked_until,
// a conditional update), so a retry and the sweep never send one event twice at once; signs the
// body the Standard Webhooks way with the seller's current secret, with the row's webhook-id on
// every attempt (the receiver drops repeats by it) and a fresh timestamp; and on failure writes
// the next attempt time (the buyers' backoff: auction/delivery.ts webhookRetry) and queues a job
// for exactly then. The outbound guard refuses private addresses at connect time: dead at once.
// A sweep every minute queues what a dead process or a lost job left behind.
import {
  claimSellerDelivery,
  finishSellerAttempt,
  getSellerWebhookForSigning,
  insertLeadEvent,
  keepSellerEventBody,
  listDueSellerDeliveries,
  listNewSellerDeliveriesOfLead,
  sellerEventFacts,
  type SellerEventBody,
  type SellerWebhookDeliveryRow,
} from "@leadflow/db";
import type PgBoss from "pg-boss";
import { Webhook } from "standardwebhooks";
import type { Services } from "../context";
import { nextWebhookAttempt, webhookRetry } from "../auction/delivery";
import { errorText, postJson } from "../auction/http";
import { OutboundRefused } from "../outbound/guard";

export const SELLER_WEBHOOK_QUEUE = "seller-webhook";
export const SELLER_WEBHOOK_SWEEP_QUEUE = "seller-webhook-sweep";
/** A never-tried event waits this long before the sweep queues it (the run that wrote it queues it first). */
export const SELLER_SWEEP_GRACE_SECONDS = 30;

interface SellerWebhookJob {
  id: string;
  due?: string;
}

const ready = new WeakSet<PgBoss>();
async function ensureQueues(boss: PgBoss) {
  if (ready.has(boss)) return;
  await boss.createQueue(SELLER_WEBHOOK_QUEUE);
  await boss.createQueue(SELLER_WEBHOOK_SWEEP_QUEUE);
  ready.add(boss);
}

/** Queues one attempt at `at` (now without it); without a queue (tests, scripts) tries once inline. */
export async function queueSellerWebhookJob(s: Services, id: string, at?: Date): Promise<void> {
  if (!s.boss) {
    if (!at) await attemptSellerWebhook(s, id);
    return;
  }
  await ensureQueues(s.boss);
  // A delay in seconds: the same wait whatever the services clock and the database's clock say.
  const delay = at ? Math.max(0, Math.ceil((at.getTime() - s.clock.now().getTime()) / 1000)) : 0;
  await s.boss.send(SELLER_WEBHOOK_QUEUE, at ? { id, due: at.toISOString() } : { id }, {
    ...(delay > 0 ? { startAfter: delay } : {}),
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
  });
}

/** After a lead's run (its payout written): queues the events its end wrote. Never throws. */
export async function dispatchSellerEvents(s: Services, leadId: string): Promise<void> {
  try {
    for (const id of await listNewSellerDeliveriesOfLead(s.db, leadId)) await queueSellerWebhookJob(s, id);
  } catch (err) {
    // Left pending: the sweep queues it within a minute or two.
    s.log.error({ err, leadId }, "could not queue the seller's status webhook");
  }
}

/** The body: the seller's own reference and outcome; never a buyer, a bid or a price paid. */
async function buildBody(s: Services, d: SellerWebhookDeliveryRow): Promise<SellerEventBody | null> {
  if (!d.leadId) return null;
  const f = await sellerEventFacts(s.db, d.leadId, d.returnId);
  if (!f) return null;
  const lead = {
    leadId: f.leadId,
    externalId: f.externalId,
    vertical: f.vertical,
    status: f.status,
    receivedAt: f.receivedAt.toISOString(),
    finishedAt: f.finishedAt?.toISOString() ?? null,
  };
  if (d.eventType === "lead.sold")
    return {
      type: d.eventType,
      timestamp: (f.finishedAt ?? d.createdAt).toISOString(),
      data: { ...lead, payoutCents: f.payoutCents },
    };
  if (d.eventType === "lead.unsold")
    return {
      type: d.eventType,
      timestamp: (f.finishedAt ?? d.createdAt).toISOString(),
      data: { ...lead, unsoldReason: f.unsoldReason, payoutCents: 0 },
    };
  const reversed = -(f.reversedCents ?? 0);
  return {
    type: d.eventType,
    timestamp: (f.returnDecidedAt ?? d.createdAt).toISOString(),
    data: {
      ...lead,
      payoutCents: f.payoutCents,
      return: {
        returnId: d.returnId,
        reason: f.returnReason,
        approvedAt: f.returnDecidedAt?.toISOString() ?? null,
        payoutReversedCents: reversed,
      },
      netPayoutCents: f.payoutCents - reversed,
    },
  };
}

/** One attempt. Answers true when this attempt delivered it. */
export async function attemptSellerWebhook(s: Services, id: string): Promise<boolean> {
  const now = s.clock.now();
  const d = await claimSellerDelivery(s.db, {
    id,
    now,
    lockUntil: new Date(now.getTime() + webhookRetry.timeoutMs + 30_000),
    slackMs: 2000,
  });
  if (!d) return false; // delivered, dead, not due yet, or in flight elsewhere
  const log = s.log.child({ leadId: d.leadId, sellerDeliveryId: d.id });
  const hook = await getSellerWebhookForSigning(s.db, d.sellerOrgId);
  // The attempt's result; a final one (delivered, or given up) also goes on the lead's timeline,
  // in the same transaction, so the seller's lead page says whether and when it was told.
  const finish = async (p: {
    delivered: boolean;
    error: string | null;
    statusCode: number | null;
    next: Date | null;
  }) => {
    const at = s.clock.now();
    if (!d.leadId || (!p.delivered && p.next)) return finishSellerAttempt(s.db, { id: d.id, at, ...p });
    const leadId = d.leadId;
    await s.db.transaction(async (tx) => {
      await finishSellerAttempt(tx, { id: d.id, at, ...p });
      await insertLeadEvent(tx, {
        leadId,
        at,
        kind: "seller_webhook",
        buyerId: null,
        data: {
          eventType: d.eventType,
          webhookId: d.webhookId,
          status: p.delivered ? "delivered" : "dead",
          attempts: d.attempts + 1,
          ...(p.error ? { error: p.error } : {}),
        },
      });
    });
  };
  if (!hook) {
    await finish({ delivered: false, error: "no webhook URL is set (it was removed)", statusCode: null, next: null });
    return false;
  }
  const built = d.body ?? (await buildBody(s, d));
  if (!built) {
    await finish({ delivered: false, error: "the lead is gone", statusCode: null, next: null });
    return false;
  }
  const body = d.body ?? (await keepSellerEventBody(s.db, d.id, built));
  const text = JSON.stringify(body);
  let error: string;
  let statusCode: number | null = null;
  let refused = false;
  try {
    const at = s.clock.now();
    const signature = new Webhook(hook.secret).sign(d.webhookId, at, text);
    const res = await postJson(
      s.outbound,
      hook.url,
      text,
      AbortSignal.timeout(webhookRetry.timeoutMs),
      {
        "webhook-id": d.webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      16 * 1024,
    );
    statusCode = res.status;
    if (res.status >= 200 && res.status < 300) {
      await finish({ delivered: true, error: null, statusCode, next: null });
      log.info({ eventType: d.eventType, attempts: d.attempts + 1 }, "seller webhook delivered");
      return true;
    }
    error = `HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 200)}` : ""}`;
  } catch (err) {
    error = errorText(err);
    // A private address refused by the guard is a policy, not an outage: retrying cannot help.
    refused = err instanceof OutboundRefused;
  }
  const next = refused ? null : nextWebhookAttempt(d.attempts + 1, s.clock.now());
  await finish({ delivered: false, error, statusCode, next });
  log.warn({ eventType: d.eventType, attempts: d.attempts + 1, error, next }, "seller webhook failed");
  if (next) await queueSellerWebhookJob(s, d.id, next);
  return false;
}

/** Queues every due event a dead process or a lost job left behind. */
export async function sweepSellerWebhooks(s: Services): Promise<number> {
  const ids = await listDueSellerDeliveries(s.db, {
    now: s.clock.now(),
    graceSeconds: SELLER_SWEEP_GRACE_SECONDS,
    limit: 500,
  });
  for (const id of ids) await queueSellerWebhookJob(s, id);
  return ids.length;
}

/** The workers: attempts in batches (like buyers' deliveries), and the sweep every minute. */
export async function registerSellerWebhookJobs(boss: PgBoss, s: Services): Promise<void> {
  await ensureQueues(boss);
  await boss.work<SellerWebhookJob>(
    SELLER_WEBHOOK_QUEUE,
    { batchSize: 25, pollingIntervalSeconds: 1 },
    async (jobs) => {
      await Promise.all(
        jobs.map(async (j) => {
          try {
            await attemptSellerWebhook(s, j.data.id);
          } catch (err) {
            await boss.fail(SELLER_WEBHOOK_QUEUE, j.id, { message: errorText(err) });
          }
        }),
      );
    },
  );
  await boss.work(SELLER_WEBHOOK_SWEEP_QUEUE, async () => {
    await sweepSellerWebhooks(s);
  });
  await boss.schedule(SELLER_WEBHOOK_SWEEP_QUEUE, "* * * * *");
}
