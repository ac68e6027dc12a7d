// The seller side of the exchange (docs/api.md "Ping, then post"): each source's settings and
// payout rules, the inbound pings with the bids held for them, and the payout ledger. Money in
// integer cents; a payout is never edited: a return reverses it with an entry of its own.
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
import { orgs, users } from "./auth";
import { payoutEntryKind, payoutRuleKind } from "./enums";
import { leads } from "./leads";
import { returnRequests } from "./returns";

/** One row per seller org that has settings; a seller without one gets the defaults. */
export const sellerSources = pgTable(
  "seller_sources",
  {
    sellerOrgId: uuid("seller_org_id")
      .primaryKey()
      .references(() => orgs.id, { onDelete: "cascade" }),
    /** How long a ping's bids are held for its post. */
    pingTtlSeconds: integer("ping_ttl_seconds").notNull().default(60),
    /** An approved return reverses the payout only this many days after the sale. */
    returnWindowDays: integer("return_window_days").notNull().default(30),
    /**
     * The seller's IANA time zone: its portal's days, 7/30-day windows, date filter and monthly
     * statement are counted in it (AT TIME ZONE in SQL). Checked against Intl and PostgreSQL on save.
     */
    timeZone: text("time_zone").notNull().default("America/Chicago"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("seller_sources_ttl_range", sql`${t.pingTtlSeconds} between 1 and 3600`),
    check("seller_sources_window_range", sql`${t.returnWindowDays} between 0 and 365`),
  ],
);

/** A source's payout rule, for all its verticals (vertical null) or one. */
export const payoutRules = pgTable(
  "payout_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sellerOrgId: uuid("seller_org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    vertical: text("vertical"),
    kind: payoutRuleKind("kind").notNull(),
    fixedCents: integer("fixed_cents"),
    shareBp: integer("share_bp"),
    marginCents: integer("margin_cents"),
    minMarginCents: integer("min_margin_cents").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("payout_rules_source_uq").on(t.sellerOrgId, sql`coalesce(${t.vertical}, '')`),
    check(
      "payout_rules_nonneg",
      sql`coalesce(${t.fixedCents}, 0) >= 0 and coalesce(${t.marginCents}, 0) >= 0 and ${t.minMarginCents} >= 0`,
    ),
    check("payout_rules_share_range", sql`coalesce(${t.shareBp}, 0) between 0 and 10000`),
  ],
);

/** What a ping held for its post: the network's ping id and the exchange recorded with it. */
export interface HeldExchange {
  buyerId: string;
  pingId: string;
  outcome: "BID" | "NO_BID" | "TIMEOUT" | "ERROR";
  bidCents?: number;
  latencyMs?: number;
  detail?: string;
  request?: string | null;
  response?: string | null;
  error?: string | null;
}

export interface SellerPingPartial {
  vertical: string;
  zip: string;
  state: string | null;
  consent: { trustedFormCertUrl?: string | null; jornayaLeadId?: string | null };
  customFields: Record<string, unknown>;
}

/** An inbound ping. usedAt/leadId are set once, by the post that claims it (a conditional update). */
export const sellerPings = pgTable(
  "seller_pings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sellerOrgId: uuid("seller_org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    partial: jsonb("partial").$type<SellerPingPartial>().notNull(),
    held: jsonb("held").$type<HeldExchange[]>().notNull(),
    accepted: boolean("accepted").notNull(),
    bestBidCents: integer("best_bid_cents"),
    payoutCents: integer("payout_cents").notNull(),
    /** The rule the quote was made with: the post is paid by the same one. */
    rule: jsonb("rule").$type<Record<string, unknown> | null>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "set null" }),
  },
  (t) => [
    index("seller_pings_seller_created_idx").on(t.sellerOrgId, t.createdAt),
    index("seller_pings_expires_idx").on(t.expiresAt),
  ],
);

/**
 * The payout ledger: one PAYOUT per sold lead with a payout, at most one PAYOUT_REVERSAL per lead
 * (an approved return within the source's window), amounts signed (a reversal is negative).
 */
export const sellerPayouts = pgTable(
  "seller_payouts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    sellerOrgId: uuid("seller_org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    vertical: text("vertical").notNull(),
    kind: payoutEntryKind("kind").notNull(),
    amountCents: integer("amount_cents").notNull(),
    returnId: uuid("return_id").references(() => returnRequests.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("seller_payouts_lead_kind_uq").on(t.leadId, t.kind),
    index("seller_payouts_seller_created_idx").on(t.sellerOrgId, t.createdAt),
    check(
      "seller_payouts_sign",
      sql`(${t.kind} = 'PAYOUT' and ${t.amountCents} >= 0) or (${t.kind} = 'PAYOUT_REVERSAL' and ${t.amountCents} <= 0)`,
    ),
  ],
);
