// A seller's status webhook settings (docs/api.md "Seller status webhooks"): the URL, checked by
// the outbound guard when saved (a private or internal address is a field error, nothing saved),
// and a Standard Webhooks signing secret generated here and shown once: on the first save and on
// each rotation. Every call is scoped to the caller's own seller org (the router passes it).
import {
  deleteSellerWebhook,
  getSellerWebhook,
  insertSellerTestEventWithin,
  listSellerWebhookDeliveries,
  rotateSellerWebhookSecret,
  upsertSellerWebhook,
} from "@leadflow/db";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Services } from "../context";
import { AppError } from "../errors";
import { generateWebhookSecret } from "../buyers/service";
import { checkOutboundUrl, STRICT_OUTBOUND } from "../outbound/guard";
import { queueSellerWebhookJob } from "./webhook-delivery";

export const sellerWebhookInput = z.object({
  url: z
    .string({ error: "The webhook URL is required." })
    .trim()
    .min(1, { error: "The webhook URL is required.", abort: true })
    .max(2000, "The webhook URL is too long.")
    .refine(
      (v) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v) && URL.canParse(v),
      "The webhook URL must be an http:// or https:// address.",
    ),
});
export type SellerWebhookInput = z.output<typeof sellerWebhookInput>;

/** What the Webhooks page shows of the settings: never the secret. */
export async function getSellerWebhookSettings(s: Services, sellerOrgId: string) {
  return getSellerWebhook(s.db, sellerOrgId);
}

/**
 * Saves the URL. The first save generates the secret and answers it (`secret`, shown once); a
 * later save keeps the secret. A URL the outbound guard refuses is a BAD_REQUEST on `url`.
 */
export async function setSellerWebhook(
  s: Services,
  sellerOrgId: string,
  userId: string | null,
  input: SellerWebhookInput,
): Promise<{ url: string; secret: string | null }> {
  const problem = await checkOutboundUrl(input.url, s.outbound ?? STRICT_OUTBOUND, "The webhook URL");
  if (problem) throw new AppError("BAD_REQUEST", problem, { url: [problem] });
  const secret = generateWebhookSecret();
  const { created } = await upsertSellerWebhook(s.db, {
    sellerOrgId,
    url: input.url,
    secret,
    userId,
    at: s.clock.now(),
  });
  s.log.info({ sellerOrgId, created }, "seller webhook saved");
  return { url: input.url, secret: created ? secret : null };
}

/** A new signing secret, answered once; the old one stops signing at once (retries included). */
export async function rotateSellerWebhook(s: Services, sellerOrgId: string, userId: string | null) {
  const secret = generateWebhookSecret();
  const ok = await rotateSellerWebhookSecret(s.db, { sellerOrgId, secret, userId, at: s.clock.now() });
  if (!ok) throw new AppError("PRECONDITION_FAILED", "Save a webhook URL first; it comes with its signing secret.");
  s.log.info({ sellerOrgId }, "seller webhook secret rotated");
  return { secret };
}

/** Stops sending events; the list of past deliveries stays. */
export async function removeSellerWebhook(s: Services, sellerOrgId: string) {
  const ok = await deleteSellerWebhook(s.db, sellerOrgId);
  if (!ok) throw new AppError("NOT_FOUND", "There is no webhook to remove.");
  return { removed: true };
}

/** The seller's recent deliveries (50), newest first. */
export async function listSellerDeliveries(s: Services, sellerOrgId: string) {
  return listSellerWebhookDeliveries(s.db, sellerOrgId, 50);
}

/** Test events a seller org may send per TEST_EVENT_WINDOW_MS (the button, however many users press it). */
export const TEST_EVENTS_PER_WINDOW = 5;
export const TEST_EVENT_WINDOW_MS = 10 * 60_000;

/**
 * Queues a `webhook.test` event, signed and retried like any other; answers its row. At most
 * TEST_EVENTS_PER_WINDOW per seller org in any TEST_EVENT_WINDOW_MS (each one is a request to the
 * seller's server and a job here): past that, TOO_MANY_REQUESTS saying when the next one may go.
 */
export async function sendSellerTestEvent(s: Services, sellerOrgId: string) {
  const hook = await getSellerWebhook(s.db, sellerOrgId);
  if (!hook) throw new AppError("PRECONDITION_FAILED", "Save a webhook URL first, then send a test event.");
  const at = s.clock.now();
  const webhookId = `msg_${randomUUID()}`;
  const written = await insertSellerTestEventWithin(s.db, {
    sellerOrgId,
    webhookId,
    at,
    since: new Date(at.getTime() - TEST_EVENT_WINDOW_MS),
    limit: TEST_EVENTS_PER_WINDOW,
    body: {
      type: "webhook.test",
      timestamp: at.toISOString(),
      data: { test: true, message: "A test event from LeadFlow: your endpoint received and can verify it." },
    },
  });
  if ("limitedBy" in written) {
    // The next one may go when the oldest counted event leaves the window.
    const oldest = written.limitedBy[written.limitedBy.length - TEST_EVENTS_PER_WINDOW]!;
    const nextAt = new Date(oldest.getTime() + TEST_EVENT_WINDOW_MS);
    const minutes = Math.max(1, Math.ceil((nextAt.getTime() - at.getTime()) / 60_000));
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Your organisation sent ${TEST_EVENTS_PER_WINDOW} test events in the last ${TEST_EVENT_WINDOW_MS / 60_000} minutes, the most allowed. ` +
        `Send another in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${nextAt.toISOString().slice(11, 16)} UTC); the deliveries below show how the earlier ones went.`,
    );
  }
  await queueSellerWebhookJob(s, written.id);
  return { id: written.id, webhookId };
}
