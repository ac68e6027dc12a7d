// Call tracking (seed 002, "Call Tracking & Attribution"): the virtual numbers DJs are reached
// at, and every call to them with its attribution. Caller numbers are never stored, only an
// HMAC-SHA256 under a server secret (a plain SHA-256 of a phone number is reversible by trying
// every number).
import { sql } from "drizzle-orm";
import {
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
import { users } from "./auth";
import { callClassification, providerCallStatus, recordingConsentMode } from "./enums";
import { djs, marketLeads } from "./marketplace";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One tracking number. A number row exists once (unique), so it belongs to at most one DJ at a
 * time: assigning sets dj_id only where it is null, in one statement.
 */
export const djVirtualNumbers = pgTable(
  "dj_virtual_numbers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** E.164, checked by the CHECK as well as by the API. */
    number: text("number").notNull(),
    djId: uuid("dj_id").references(() => djs.id, { onDelete: "set null" }),
    /** Record calls to this number (consent rules still apply per call). */
    recordingEnabled: boolean("recording_enabled").notNull().default(false),
    assignedAt: tz("assigned_at"),
    assignedByUserId: uuid("assigned_by_user_id").references(() => users.id),
    /** Rotation: the pool's least recently shown number is shown next. */
    lastServedAt: tz("last_served_at"),
    servedCount: integer("served_count").notNull().default(0),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("dj_virtual_numbers_number_uq").on(t.number),
    index("dj_virtual_numbers_dj_idx").on(t.djId, t.number),
    check("dj_virtual_numbers_e164", sql`${t.number} ~ '^\\+[1-9][0-9]{1,14}$'`),
  ],
);

/**
 * One call (the seed's call_leads), keyed by the provider's CallSid so a redelivered webhook
 * updates the same row. thread_id groups a caller's calls to one DJ within the repeat window:
 * the thread is the lead, billed at most once (partial unique index).
 */
export const callLeads = pgTable(
  "call_leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    callSid: text("call_sid").notNull(),
    virtualNumberId: uuid("virtual_number_id").references(() => djVirtualNumbers.id, { onDelete: "set null" }),
    toNumber: text("to_number").notNull(),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    /** HMAC-SHA256(secret, E.164 caller) in hex; null for a withheld caller id. */
    callerHash: text("caller_hash"),
    callerState: text("caller_state"),
    callerCity: text("caller_city"),
    status: providerCallStatus("status").notNull(),
    startedAt: tz("started_at").notNull(),
    endedAt: tz("ended_at"),
    durationSec: integer("duration_sec"),
    /** Set when the call has ended (status completed, busy, …). */
    classification: callClassification("classification"),
    threadId: uuid("thread_id"),
    repeatOfCallId: uuid("repeat_of_call_id"),
    billed: boolean("billed").notNull().default(false),
    attributionReason: text("attribution_reason"),
    marketLeadId: uuid("market_lead_id").references(() => marketLeads.id, { onDelete: "set null" }),
    attributedBy: text("attributed_by"),
    attributedAt: tz("attributed_at"),
    consentMode: recordingConsentMode("consent_mode").notNull(),
    announced: boolean("announced").notNull().default(false),
    recordingAllowed: boolean("recording_allowed").notNull().default(false),
    recordingReason: text("recording_reason").notNull(),
    recordingUrl: text("recording_url"),
    convertedAt: tz("converted_at"),
    bookingRef: text("booking_ref"),
    bookingValueCents: integer("booking_value_cents"),
    /** The provider's fields we keep (never From/Caller or other caller details). */
    provider: jsonb("provider").$type<Record<string, string>>().notNull().default({}),
    createdAt: tz("created_at").notNull(),
    updatedAt: tz("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("call_leads_call_sid_uq").on(t.callSid),
    index("call_leads_dj_started_idx").on(t.djId, t.startedAt),
    index("call_leads_caller_idx").on(t.djId, t.callerHash, t.startedAt),
    index("call_leads_lead_idx").on(t.marketLeadId),
    uniqueIndex("call_leads_thread_billed_uq")
      .on(t.threadId)
      .where(sql`${t.billed}`),
    check("call_leads_recording_consent", sql`${t.recordingUrl} is null or ${t.recordingAllowed}`),
    check("call_leads_duration_nonneg", sql`${t.durationSec} is null or ${t.durationSec} >= 0`),
    check("call_leads_value_nonneg", sql`${t.bookingValueCents} is null or ${t.bookingValueCents} >= 0`),
  ],
);
