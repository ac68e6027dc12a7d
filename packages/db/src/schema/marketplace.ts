// The DJ marketplace (seed 002): DJs and their calendars, customer leads routed to them in timed
// phases, the offers and answers, the lead timeline, city statistics, the credit ledger and the
// funnel counters. Money in integer cents, credits in whole units, instants with time zone.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { orgs, users } from "./auth";
import {
  assignmentStatus,
  availabilityStatus,
  djTier,
  eventType,
  ledgerEntryKind,
  marketLeadCloseReason,
  marketLeadState,
  routingPhase,
} from "./enums";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A DJ. Demo and real DJs belong to an org (their login); directory DJs seeded without a login
 * have none. The contact columns are never shown to customers.
 */
export const djs = pgTable(
  "djs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    city: text("city").notNull(),
    state: text("state").notNull(),
    tier: djTier("tier").notNull().default("standard"),
    contactEmail: text("contact_email"),
    contactPhone: text("contact_phone"),
    priceMinCents: integer("price_min_cents").notNull(),
    priceMaxCents: integer("price_max_cents").notNull(),
    reliability: integer("reliability").notNull().default(70),
    avgResponseTimeMs: bigint("avg_response_time_ms", { mode: "number" }),
    acceptedCount: integer("accepted_count").notNull().default(0),
    declinedCount: integer("declined_count").notNull().default(0),
    ignoredCount: integer("ignored_count").notNull().default(0),
    convertedCount: integer("converted_count").notNull().default(0),
    acceptanceRate: numeric("acceptance_rate", { precision: 5, scale: 4, mode: "number" }),
    declineRate: numeric("decline_rate", { precision: 5, scale: 4, mode: "number" }),
    ignoreRate: numeric("ignore_rate", { precision: 5, scale: 4, mode: "number" }),
    conversionRate: numeric("conversion_rate", { precision: 5, scale: 4, mode: "number" }),
    /** As it was at penalty_updated_at; it decays from there (engine currentPenalty). */
    penalty: numeric("penalty", { precision: 5, scale: 2, mode: "number" }).notNull().default(0),
    penaltyUpdatedAt: tz("penalty_updated_at"),
    cooldownUntil: tz("cooldown_until"),
    isActive: boolean("is_active").notNull().default(true),
    isSuspended: boolean("is_suspended").notNull().default(false),
    routingScore: numeric("routing_score", { precision: 5, scale: 1, mode: "number" }).notNull().default(0),
    routingComponents: jsonb("routing_components").$type<Record<string, number>>(),
    routingComputedAt: tz("routing_computed_at"),
    credits: integer("credits").notNull().default(0),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("djs_org_uq").on(t.orgId),
    // The eligibility query: one city's offerable DJs, already in routing order.
    index("djs_city_routing_idx")
      .on(t.city, t.routingScore.desc(), t.id)
      .where(sql`${t.isActive} and not ${t.isSuspended}`),
    check("djs_credits_nonneg", sql`${t.credits} >= 0`),
    check("djs_price_range", sql`${t.priceMinCents} >= 0 and ${t.priceMinCents} <= ${t.priceMaxCents}`),
    check("djs_reliability_range", sql`${t.reliability} between 0 and 100`),
    check("djs_penalty_range", sql`${t.penalty} between 0 and 20`),
  ],
);

/** Dates a DJ has marked; no row means available. A lock holds the date for one lead until locked_until. */
export const djAvailability = pgTable(
  "dj_availability",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
    status: availabilityStatus("status").notNull().default("available"),
    lockedByLeadId: uuid("locked_by_lead_id"),
    lockedUntil: tz("locked_until"),
    /**
     * The lead whose offer this DJ accepted for this date: held until the couple books someone or
     * the lead closes (issue 17). One row per (dj, date), so a date is held for at most one lead.
     */
    heldByLeadId: uuid("held_by_lead_id").references((): AnyPgColumn => marketLeads.id, { onDelete: "set null" }),
    heldAt: tz("held_at"),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("dj_availability_dj_date_uq").on(t.djId, t.date),
    index("dj_availability_date_idx").on(t.date),
    index("dj_availability_held_idx")
      .on(t.heldByLeadId)
      .where(sql`${t.heldByLeadId} is not null`),
    // A held date is one the DJ can work: booking or blocking it ends the hold first.
    check(
      "dj_availability_held_offerable",
      sql`${t.heldByLeadId} is null or ${t.status} in ('available', 'tentative')`,
    ),
  ],
);

export interface MarketLeadContact {
  name: string;
  email?: string | null;
  phone?: string | null;
}

/** A customer's inquiry. `contact` is shown to a DJ only after they unlock it. */
export const marketLeads = pgTable(
  "market_leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contact: jsonb("contact").$type<MarketLeadContact>().notNull(),
    city: text("city").notNull(),
    /** The US state of the event ("state" is the lead's lifecycle state). */
    state: text("event_state"),
    eventType: eventType("event_type").notNull(),
    eventDate: date("event_date", { mode: "string" }).notNull(),
    budgetMinCents: integer("budget_min_cents"),
    budgetMaxCents: integer("budget_max_cents"),
    guestCount: integer("guest_count"),
    venueName: text("venue_name"),
    startTime: text("start_time"),
    durationHours: integer("duration_hours"),
    musicPreferences: text("music_preferences"),
    notes: text("notes"),
    formCompleteness: numeric("form_completeness", { precision: 4, scale: 3, mode: "number" }).notNull().default(0),
    scoreTotal: numeric("score_total", { precision: 5, scale: 1, mode: "number" }),
    scoreComponents: jsonb("score_components").$type<Record<string, number>>(),
    scoreExplanations: jsonb("score_explanations").$type<Record<string, string>>(),
    leadState: marketLeadState("state").notNull().default("pending"),
    closeReason: marketLeadCloseReason("close_reason"),
    conciergeReason: text("concierge_reason"),
    phase: routingPhase("phase"),
    /** +1 whenever a phase (or concierge) starts; timers carry it (compare-and-set). */
    phaseSeq: integer("phase_seq").notNull().default(0),
    phaseEndsAt: tz("phase_ends_at"),
    /**
     * When the phase timer sweeper must next look at this lead (the phase's end while it has
     * offers to expire or a phase to advance); null when nothing is due. Claimed FOR UPDATE SKIP LOCKED.
     */
    dueAt: tz("due_at"),
    /** SHA-256 of the 128-bit comparison token; the token itself is only in the customer's link. */
    comparisonTokenHash: text("comparison_token_hash").notNull(),
    acceptedDjId: uuid("accepted_dj_id").references(() => djs.id),
    convertedDjId: uuid("converted_dj_id").references(() => djs.id),
    bookingValueCents: integer("booking_value_cents"),
    fromCalculator: boolean("from_calculator").notNull().default(false),
    createdAt: tz("created_at").notNull().defaultNow(),
    firstResponseAt: tz("first_response_at"),
    acceptedAt: tz("accepted_at"),
    convertedAt: tz("converted_at"),
    closedAt: tz("closed_at"),
  },
  (t) => [
    uniqueIndex("market_leads_token_uq").on(t.comparisonTokenHash),
    index("market_leads_state_idx").on(t.leadState, t.phaseEndsAt),
    index("market_leads_due_idx")
      .on(t.dueAt)
      .where(sql`${t.dueAt} is not null`),
    index("market_leads_city_created_idx").on(t.city, t.createdAt),
    /** Admin analytics: the inquiries of a range of days, and the bookings made in it. */
    index("market_leads_created_idx").on(t.createdAt),
    index("market_leads_converted_idx")
      .on(t.convertedAt)
      .where(sql`${t.bookingValueCents} is not null`),
    check(
      "market_leads_budget",
      sql`${t.budgetMinCents} is null or ${t.budgetMaxCents} is null or ${t.budgetMinCents} <= ${t.budgetMaxCents}`,
    ),
  ],
);

/**
 * One offer of a lead to one DJ. The CHECK keeps every answer inside its window, so even a
 * direct UPDATE cannot record an acceptance after the window closed.
 */
export const leadAssignments = pgTable(
  "lead_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    phase: routingPhase("phase").notNull(),
    phaseSeq: integer("phase_seq").notNull(),
    status: assignmentStatus("status").notNull().default("offered"),
    offeredAt: tz("offered_at").notNull(),
    windowEndsAt: tz("window_ends_at").notNull(),
    respondedAt: tz("responded_at"),
    responseTimeMs: bigint("response_time_ms", { mode: "number" }),
    quoteCents: integer("quote_cents"),
    message: text("message"),
    /** The couple booked another DJ while this offer stood (the DJ was told). */
    choseOtherAt: tz("chose_other_at"),
  },
  (t) => [
    uniqueIndex("lead_assignments_lead_dj_uq").on(t.leadId, t.djId),
    index("lead_assignments_dj_status_idx").on(t.djId, t.status),
    index("lead_assignments_open_idx")
      .on(t.windowEndsAt)
      .where(sql`${t.status} = 'offered'`),
    /** Admin analytics: accepted quotes by when they were given. */
    index("lead_assignments_accepted_idx")
      .on(t.respondedAt)
      .where(sql`${t.status} = 'accepted'`),
    check(
      "lead_assignments_answer_in_window",
      sql`${t.status} not in ('accepted', 'declined') or (${t.respondedAt} >= ${t.offeredAt} and ${t.respondedAt} < ${t.windowEndsAt})`,
    ),
    check("lead_assignments_quote_nonneg", sql`${t.quoteCents} is null or ${t.quoteCents} >= 0`),
  ],
);

/** The lead's timeline: every decision, with the data behind it. */
export const marketLeadEvents = pgTable(
  "market_lead_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order, so events stamped in the same instant keep the order they happened in. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    at: tz("at").notNull(),
    kind: text("kind").notNull(),
    message: text("message").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("market_lead_events_lead_idx").on(t.leadId, t.at)],
);

/** Rolling statistics per city, and per city and event type ('' = all types). */
export const cityEventStats = pgTable(
  "city_event_stats",
  {
    city: text("city").notNull(),
    eventType: text("event_type").notNull().default(""),
    computedAt: tz("computed_at").notNull(),
    leadCount30d: integer("lead_count_30d").notNull(),
    activeDjCount: integer("active_dj_count").notNull(),
    demandSupplyRatio: numeric("demand_supply_ratio", { precision: 10, scale: 4, mode: "number" }),
    marketTension: numeric("market_tension", { precision: 5, scale: 4, mode: "number" }),
    tensionBand: text("tension_band"),
    medianPrice30dCents: integer("median_price_30d_cents"),
    medianPrice90dCents: integer("median_price_90d_cents"),
    priceCount30d: integer("price_count_30d").notNull(),
    priceCount90d: integer("price_count_90d").notNull(),
    priceP25Cents90d: integer("price_p25_cents_90d"),
    priceP75Cents90d: integer("price_p75_cents_90d"),
    conversionRate90d: numeric("conversion_rate_90d", { precision: 5, scale: 4, mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.city, t.eventType] })],
);

/** Every movement of a DJ's credits; the balance on djs is the running sum, kept in the same transaction. */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    kind: ledgerEntryKind("kind").notNull(),
    /** Signed: positive in, negative out. */
    credits: integer("credits").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    leadId: uuid("lead_id").references(() => marketLeads.id),
    /** The payment provider's charge id for purchases, or a note for grants. */
    reference: text("reference"),
    amountCents: integer("amount_cents"),
    createdByUserId: uuid("created_by_user_id").references(() => users.id),
    createdAt: tz("created_at").notNull(),
  },
  (t) => [
    index("credit_ledger_dj_idx").on(t.djId, t.createdAt),
    uniqueIndex("credit_ledger_unlock_uq")
      .on(t.djId, t.leadId)
      .where(sql`${t.kind} = 'unlock'`),
    uniqueIndex("credit_ledger_purchase_uq")
      .on(t.reference)
      .where(sql`${t.kind} = 'purchase'`),
    check("credit_ledger_balance_nonneg", sql`${t.balanceAfter} >= 0`),
  ],
);

/** A DJ who paid to see a customer's contact; unique, so a second click never charges again. */
export const contactUnlocks = pgTable(
  "contact_unlocks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    unlockedAt: tz("unlocked_at").notNull(),
  },
  (t) => [uniqueIndex("contact_unlocks_dj_lead_uq").on(t.djId, t.leadId)],
);

/** Daily funnel counts per city: calculator views, inquiries, and inquiries that came from the calculator. */
export const marketFunnelCounters = pgTable(
  "market_funnel_counters",
  {
    day: date("day", { mode: "string" }).notNull(),
    city: text("city").notNull(),
    metric: text("metric").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.city, t.metric] })],
);

/** Marketplace settings an admin may change (one row, id 'default'); validated by validateRoutingConfig. */
export const marketSettings = pgTable("market_settings", {
  id: text("id").primaryKey(),
  routing: jsonb("routing").$type<Record<string, number>>().notNull().default({}),
  /** Routing windows per city (issue 17 item 6): { "<city, lower case>": { exclusiveWindowMinutes?, … } }. */
  cityWindows: jsonb("city_windows").$type<Record<string, Record<string, number>>>().notNull().default({}),
  updatedAt: tz("updated_at").notNull(),
  updatedByUserId: uuid("updated_by_user_id").references(() => users.id),
});
