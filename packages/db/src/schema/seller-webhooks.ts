// A seller's status webhooks (docs/api.md "Seller status webhooks"): the URL and signing secret
// of each seller org, and one delivery row per event. The secret is kept the way buyers' webhook
// secrets are (buyers.webhook_secret): as the Standard Webhooks `whsec_` text, because signing
// needs the key itself (a hash could only verify). It is shown once, never read back by any
// procedure, and redacted from logs (apps/server/src/log.ts).
// Rows for lead.sold / lead.unsold / lead.returned are written by triggers (migration
// 0014_seller_webhooks.sql) in the transaction that ends the lead or credits the return, so no
// code path that does either can forget one; their body is built at the first attempt and kept.
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { orgs, users } from "./auth";
import { deliveryStatus, sellerEventType } from "./enums";
import { leads } from "./leads";
import { returnRequests } from "./returns";

export const sellerWebhooks = pgTable("seller_webhooks", {
  sellerOrgId: uuid("seller_org_id")
    .primaryKey()
    .references(() => orgs.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  /** `whsec_` + base64 of 24 random bytes. */
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
});

/** The body a seller receives, frozen at the first attempt so every retry sends the same. */
export type SellerEventBody = { type: string; timestamp: string; data: Record<string, unknown> };

/**
 * One event to one seller. `status` as buyers' deliveries: pending (not tried yet), failed
 * (retrying at next_attempt_at), delivered, dead. `locked_until` is the claim of the attempt in
 * flight, so two jobs for one row (a retry and the sweep) never send it twice at once.
 */
export const sellerWebhookDeliveries = pgTable(
  "seller_webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sellerOrgId: uuid("seller_org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    returnId: uuid("return_id").references(() => returnRequests.id, { onDelete: "cascade" }),
    eventType: sellerEventType("event_type").notNull(),
    /** The Standard Webhooks `webhook-id`: the same on every attempt, so the receiver can drop repeats. */
    webhookId: text("webhook_id").notNull(),
    body: jsonb("body").$type<SellerEventBody>(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    lastStatusCode: integer("last_status_code"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("seller_webhook_deliveries_webhook_id_uq").on(t.webhookId),
    // One outcome event per lead, one returned event per return.
    uniqueIndex("seller_webhook_deliveries_lead_event_uq")
      .on(t.leadId, t.eventType)
      .where(sql`${t.eventType} in ('lead.sold', 'lead.unsold')`),
    uniqueIndex("seller_webhook_deliveries_return_uq")
      .on(t.returnId)
      .where(sql`${t.returnId} is not null`),
    index("seller_webhook_deliveries_seller_created_idx").on(t.sellerOrgId, t.createdAt),
    index("seller_webhook_deliveries_open_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'failed')`),
  ],
);
