// Who buys auction leads and on what terms: verticals, buyers (NETWORK and CONTRACTOR) and the
// zips they serve. The engine's Buyer type (packages/engine/src/auction/types.ts) maps onto these.
import type { HoursOfOperation, RequestTemplate, ResponseMapping } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { orgs } from "./auth";
import { billingMode, buyerType, complianceRequirement, deliveryMode, pricingModel } from "./enums";

/** A kind of lead (roofing, solar …) with the floor below which no bid counts. */
export const verticals = pgTable("verticals", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  floorCents: integer("floor_cents").notNull().default(0),
  /** Rank network bids net of each network's return rate (docs/returns.md); off by default. */
  rankNetOfReturns: boolean("rank_net_of_returns").notNull().default(false),
  /**
   * The compliance screens its leads pass before any buyer sees them (docs/compliance.md): the
   * suppression lists (on by default), the do-not-call registry, a litigator list.
   */
  checkSuppression: boolean("check_suppression").notNull().default(true),
  checkDnc: boolean("check_dnc").notNull().default(false),
  checkLitigator: boolean("check_litigator").notNull().default(false),
  /**
   * What a litigator check that could not be completed (provider down, slow, not configured) does:
   * false (the default, fail-closed) refuses the lead to every buyer; true lets it through, noted.
   */
  litigatorFailOpen: boolean("litigator_fail_open").notNull().default(false),
  /**
   * Days after which a lead's contact fields are purged (docs/compliance.md, retention); null keeps
   * them. The keyed hashes and every aggregate stay.
   */
  retentionDays: integer("retention_days"),
  active: boolean("active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const buyers = pgTable(
  "buyers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * Stable, human-readable key ("homequote/apex-home-leads"): what the JSON export/import
     * upserts by (docs/buyer-import.md), so a setup moves between installations whose ids differ.
     */
    key: text("key")
      .notNull()
      .default(sql`gen_random_uuid()::text`),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: buyerType("type").notNull(),
    active: boolean("active").notNull().default(true),
    verticals: text("verticals")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    timeZone: text("time_zone").notNull().default("America/Chicago"),
    /** null: always open. See HoursOfOperation. */
    hours: jsonb("hours").$type<HoursOfOperation | null>(),
    capDaily: integer("cap_daily"),
    capWeekly: integer("cap_weekly"),
    capMonthly: integer("cap_monthly"),
    duplicateLookbackDays: integer("duplicate_lookback_days").notNull().default(30),
    compliance: complianceRequirement("compliance")
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Each required certificate must be claimed, and match the lead, not only be present (docs/compliance.md). */
    requireClaimedConsent: boolean("require_claimed_consent").notNull().default(false),
    /** Refuse leads whose phone number fails validation (VALIDATION_FAILED). */
    refuseInvalidPhone: boolean("refuse_invalid_phone").notNull().default(false),
    /** Refuse leads whose email is malformed or at a disposable domain (VALIDATION_FAILED). */
    refuseDisposableEmail: boolean("refuse_disposable_email").notNull().default(false),
    /** Returns (docs/returns.md): days after the sale a lead may be sent back; 0 allows none. */
    returnWindowDays: integer("return_window_days").notNull().default(7),
    /** Returns approved without an admin, as a percentage of the leads bought in the month. */
    returnCapPercent: integer("return_cap_percent").notNull().default(15),
    /** Approved returns per 10,000 leads bought lately; kept current by the returns service. */
    returnRateBp: integer("return_rate_bp"),
    /** Billing (docs/billing.md): how the buyer pays; its balance is the ledger's sum (billing.ts). */
    billingMode: billingMode("billing_mode").notNull().default("INVOICED"),
    /** CREDIT_LIMIT: how far below zero the balance may go. */
    creditLimitCents: integer("credit_limit_cents"),
    /** One email and a banner when the balance falls under this; null: none. */
    lowBalanceThresholdCents: integer("low_balance_threshold_cents"),
    /** Money budgets in the buyer's local day and month (time_zone); null: none. */
    budgetDailyCents: integer("budget_daily_cents"),
    budgetMonthlyCents: integer("budget_monthly_cents"),

    // NETWORK: pinged with a partial lead, bids, gets the POST when it wins.
    pingUrl: text("ping_url"),
    postUrl: text("post_url"),
    pingTimeoutMs: integer("ping_timeout_ms").notNull().default(1000),
    minBidCents: integer("min_bid_cents").notNull().default(0),
    responseMapping: jsonb("response_mapping").$type<Partial<ResponseMapping> | null>(),
    /** How its ping and post are written (engine template.ts); null: LeadFlow's own JSON bodies. */
    requestTemplate: jsonb("request_template").$type<RequestTemplate | null>(),
    /**
     * The secret of the template's header auth (a bearer token, a basic password, a header's
     * value). It must be sent, so it cannot be hashed; like webhook_secret, it is never returned
     * by the API, the export or a log.
     */
    requestAuthSecret: text("request_auth_secret"),

    // CONTRACTOR: gets leads directly.
    deliveryMode: deliveryMode("delivery_mode").notNull().default("EXCLUSIVE"),
    maxSharedLeads: integer("max_shared_leads").notNull().default(3),
    pricingModel: pricingModel("pricing_model").notNull().default("AUCTION"),
    fixedLeadPriceCents: integer("fixed_lead_price_cents"),
    maxBidCents: integer("max_bid_cents"),
    /** HYBRID: the reduced price paid for a shared lead. */
    sharedPriceCents: integer("shared_price_cents"),
    notifyEmail: boolean("notify_email").notNull().default(true),
    notifyWebhook: boolean("notify_webhook").notNull().default(false),
    notifyDashboard: boolean("notify_dashboard").notNull().default(true),
    notificationEmail: text("notification_email"),
    webhookUrl: text("webhook_url"),
    /**
     * Standard Webhooks signing secret ("whsec_…"). It must be usable to sign, so it cannot be
     * hashed; it is never returned by the API after it is set.
     */
    webhookSecret: text("webhook_secret"),

    /**
     * Terms the admin has locked (names of the self-service fields, e.g. "minBidCents"): the
     * network buyer sees them but cannot change them (buyers/self-service.ts).
     */
    lockedFields: text("locked_fields")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),

    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("buyers_key_uq").on(t.key),
    index("buyers_org_idx").on(t.orgId),
    index("buyers_active_type_idx").on(t.active, t.type),
    check(
      "buyers_caps_nonneg",
      sql`coalesce(${t.capDaily}, 0) >= 0 and coalesce(${t.capWeekly}, 0) >= 0 and coalesce(${t.capMonthly}, 0) >= 0`,
    ),
    check(
      "buyers_money_nonneg",
      sql`${t.minBidCents} >= 0 and coalesce(${t.fixedLeadPriceCents}, 0) >= 0 and coalesce(${t.maxBidCents}, 0) >= 0 and coalesce(${t.sharedPriceCents}, 0) >= 0`,
    ),
    check(
      "buyers_billing_nonneg",
      sql`coalesce(${t.creditLimitCents}, 0) >= 0 and coalesce(${t.budgetDailyCents}, 0) >= 0 and coalesce(${t.budgetMonthlyCents}, 0) >= 0`,
    ),
    check("buyers_returns", sql`${t.returnWindowDays} between 0 and 90 and ${t.returnCapPercent} between 0 and 100`),
    check("buyers_shared_leads", sql`${t.maxSharedLeads} between 1 and 50`),
    check(
      "buyers_network_urls",
      sql`${t.type} <> 'NETWORK' or (${t.pingUrl} is not null and ${t.postUrl} is not null)`,
    ),
  ],
);

/** A zip a buyer serves; priority 1 is best; maxBidCents overrides the buyer's max bid there. */
export const buyerZips = pgTable(
  "buyer_zips",
  {
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    zip: text("zip").notNull(),
    priority: integer("priority").notNull().default(1),
    maxBidCents: integer("max_bid_cents"),
  },
  (t) => [
    primaryKey({ columns: [t.buyerId, t.zip] }),
    index("buyer_zips_zip_idx").on(t.zip),
    check("buyer_zips_priority", sql`${t.priority} >= 1`),
  ],
);
