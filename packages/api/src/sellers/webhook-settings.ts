// A seller's status webhook settings (docs/api.md "Seller status webhooks"): the URL, checked by
// the outbound guard when saved (a private or internal address is a field error, nothing saved),
// and a Standard Webhooks signing secret generated here and shown once: on the first save and on
// each rotation. Every call is scoped to the caller's own seller org (the router passes it).
import {
  deleteSellerWebhook,
  getSellerWebhook,
  insertSellerTestEvent,
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

/** Queues a `webhook.test` event, signed and retried like any other; answers its row. */
export async function sendSellerTestEvent(s: Services, sellerOrgId: string) {
  const hook = await getSellerWebhook(s.db, sellerOrgId);
  if (!hook) throw new AppError("PRECONDITION_FAILED", "Save a webhook URL first, then send a test event.");
  const at = s.clock.now();
  const webhookId = `msg_${randomUUID()}`;
  const id = await insertSellerTestEvent(s.db, {
    sellerOrgId,
    webhookId,
    at,
    body: {
      type: "webhook.test",
      timestamp: at.toISOString(),
      data: { test: true, message: "A test event from LeadFlow: your endpoint received and can verify it." },
    },
  });
  await queueSellerWebhookJob(s, id);
  return { id, webhookId };
}
