// Leads and everything that happens to them: the per-buyer transactions (pings, posts, direct
// sales), the timeline, deliveries to winners, dashboard notifications and the email outbox.
// Money in integer cents; instants with time zone.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { LeadValidation } from "@leadflow/engine";
import { orgs } from "./auth";
import { buyers } from "./buyers";
import {
  deliveryMethod,
  deliveryStatus,
  leadStatus,
  lostReason,
  pingOutcome,
  transactionKind,
  unsoldReason,
} from "./enums";

export interface LeadContact {
  firstName: string;
  lastName: string;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  city?: string | null;
}

export interface LeadConsentRow {
  trustedFormCertUrl?: string | null;
  jornayaLeadId?: string | null;
}

export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sellerOrgId: uuid("seller_org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    /** The seller's own id: a resubmit with the same one returns the existing lead. */
    externalId: text("external_id"),
    vertical: text("vertical").notNull(),
    zip: text("zip").notNull(),
    state: text("state"),
    status: leadStatus("status").notNull().default("RECEIVED"),
    unsoldReason: unsoldReason("unsold_reason"),
    contact: jsonb("contact").$type<LeadContact>().notNull(),
    /** Digits only (10, US) and lower-cased email: what the duplicate look-back compares. */
    phoneNormalized: text("phone_normalized"),
    emailNormalized: text("email_normalized"),
    /**
     * HMAC-SHA256 (hex, the suppression lists' key) of the E.164 phone and the lower-cased email,
     * written at intake: what duplicate checks and returns compare once the lead's contact fields
     * are purged (retention) and the normalized columns are null.
     */
    phoneHash: text("phone_hash"),
    emailHash: text("email_hash"),
    /** When the retention job purged the contact fields; null while they are kept. */
    purgedAt: timestamp("purged_at", { withTimezone: true }),
    consent: jsonb("consent").$type<LeadConsentRow>().notNull().default({}),
    /**
     * The phone and email checks made at intake (api compliance/validation.ts); null for leads from
     * before them. Buyers may refuse on them (VALIDATION_FAILED) and the seller sees them.
     */
    validation: jsonb("validation").$type<LeadValidation>(),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processingAt: timestamp("processing_at", { withTimezone: true }),
    /**
     * The process running the auction (its worker_leases row) while PROCESSING; null when the
     * starter held no lease (tests, scripts). Kept afterwards: who ran it last.
     */
    processingOwner: uuid("processing_owner"),
    /**
     * How many times the auction was started. A run carries its number, and a sale or result of an
     * earlier run (a process thought dead, re-run elsewhere) is refused.
     */
    auctionAttempt: integer("auction_attempt").notNull().default(0),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    revenueCents: bigint("revenue_cents", { mode: "number" }).notNull().default(0),
    winnerCount: integer("winner_count").notNull().default(0),
    /** What the seller earned when it sold (seller_payouts holds the entries, reversals included). */
    payoutCents: integer("payout_cents").notNull().default(0),
  },
  (t) => [
    uniqueIndex("leads_seller_external_uq")
      .on(t.sellerOrgId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index("leads_seller_received_idx").on(t.sellerOrgId, t.receivedAt),
    index("leads_status_idx").on(t.status),
    index("leads_received_idx").on(t.receivedAt),
    index("leads_phone_idx").on(t.phoneNormalized),
    index("leads_email_idx").on(t.emailNormalized),
    index("leads_phone_hash_idx")
      .on(t.phoneHash)
      .where(sql`${t.phoneHash} is not null`),
    index("leads_email_hash_idx")
      .on(t.emailHash)
      .where(sql`${t.emailHash} is not null`),
    check("leads_revenue_nonneg", sql`${t.revenueCents} >= 0`),
  ],
);

/**
 * A process that runs auctions renews its row every few seconds; leads PROCESSING under an owner
 * whose row has not been renewed for LEASE_EXPIRES_MS are stranded (packages/api/src/auction/lease.ts).
 * Times are the database's (now()), so the processes' clocks need not agree.
 */
export const workerLeases = pgTable("worker_leases", {
  owner: uuid("owner").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  /** For people reading the table: which process. */
  pid: integer("pid"),
  host: text("host"),
});

export const transactions = pgTable(
  "transactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    kind: transactionKind("kind").notNull(),
    pingOutcome: pingOutcome("ping_outcome"),
    bidCents: integer("bid_cents"),
    isWinner: boolean("is_winner").notNull().default(false),
    lostReason: lostReason("lost_reason"),
    /** On losers of a sold lead: what the winner paid. */
    winningBidAmountCents: integer("winning_bid_amount_cents"),
    cascadePosition: integer("cascade_position"),
    /** The method that delivered to this winner (first successful one). */
    deliveryMethod: deliveryMethod("delivery_method"),
    priceCents: integer("price_cents"),
    latencyMs: integer("latency_ms"),
    /** Bodies as sent and received, capped at 8 KB. */
    request: text("request"),
    response: text("response"),
    postLatencyMs: integer("post_latency_ms"),
    postResponse: text("post_response"),
    detail: text("detail"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("transactions_lead_buyer_uq").on(t.leadId, t.buyerId),
    index("transactions_buyer_created_idx").on(t.buyerId, t.createdAt),
    index("transactions_reason_created_idx").on(t.lostReason, t.createdAt),
    /** The analytics' live tail and the rollup job read one period of all buyers. */
    index("transactions_created_idx").on(t.createdAt),
    /** Sales per buyer in a period: the cap and duplicate counters read this under lock. */
    index("transactions_buyer_winner_idx")
      .on(t.buyerId, t.createdAt)
      .where(sql`${t.isWinner}`),
  ],
);

/** The lead's timeline: everything decided or attempted, in order. */
export const leadEvents = pgTable(
  "lead_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind").notNull(),
    buyerId: uuid("buyer_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("lead_events_lead_idx").on(t.leadId, t.id),
    /** A buyer's verdicts by time: "why didn't I get this lead" lists them newest first. */
    index("lead_events_buyer_eligibility_idx")
      .on(t.buyerId, t.at)
      .where(sql`${t.kind} = 'eligibility'`),
  ],
);

/** One per winner and method. webhookId stays the same on every attempt (Standard Webhooks). */
export const deliveries = pgTable(
  "deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    method: deliveryMethod("method").notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    webhookId: text("webhook_id").notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("deliveries_lead_buyer_method_uq").on(t.leadId, t.buyerId, t.method),
    index("deliveries_status_idx").on(t.status),
    index("deliveries_buyer_idx").on(t.buyerId, t.createdAt),
    index("deliveries_created_idx").on(t.createdAt),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_org_created_idx").on(t.orgId, t.createdAt)],
);

/**
 * Every email the project sends, one row each, read by the Outbox page (admins see all, a buyer its
 * own org's rows). The delivery queue sends it through SMTP_URL with retries (packages/api/src/email);
 * without SMTP_URL it stays here with status `outbox`. `messageId` is the idempotency key: derived
 * from the delivery (or the caller's key), written before the first send, reused on every attempt.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    /** The lead delivery this email is (method EMAIL), if it is one: at most one email each. */
    deliveryId: uuid("delivery_id").references(() => deliveries.id, { onDelete: "cascade" }),
    /** What it is: lead (a delivery), dj_offer, couple, low_balance, seller, … */
    kind: text("kind").notNull().default("lead"),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** `<…@domain>`; null only on rows written before it existed. */
    messageId: text("message_id"),
    /**
     * outbox: kept here (no SMTP_URL); queued: waiting for its first attempt; sending: an attempt
     * began (committed before talking to SMTP); sent: the relay accepted it; failed: a transient
     * refusal, retried at nextAttemptAt; dead: refused for good or out of attempts; unknown: an
     * attempt began and its process died before the answer was recorded (never resent on its own).
     */
    status: text("status").notNull().default("outbox"),
    attempts: integer("attempts").notNull().default(0),
    /** The full last error (admins only); buyers see a reason in their own words. */
    error: text("error"),
    /** The SMTP reply code of the last refusal (4xx transient, 5xx permanent), if there was one. */
    responseCode: integer("response_code"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    sendingAt: timestamp("sending_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_outbox_org_created_idx").on(t.orgId, t.createdAt),
    index("email_outbox_created_idx").on(t.createdAt),
    index("email_outbox_open_idx")
      .on(t.status, t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'sending', 'failed')`),
    uniqueIndex("email_outbox_delivery_uq").on(t.deliveryId),
    uniqueIndex("email_outbox_message_id_uq").on(t.messageId),
  ],
);
