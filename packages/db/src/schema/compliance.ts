// Compliance evidence (docs/compliance.md): what a consent provider answered when LeadFlow claimed
// a lead's certificate, and the consent the public DJ inquiry form recorded itself.
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { complianceRequirement, consentClaimStatus } from "./enums";
import { leads } from "./leads";
import { marketLeads } from "./marketplace";

/**
 * One claim per lead and provider (TRUSTED_FORM, JORNAYA), made once: before the auction when a
 * buyer of the vertical insists on a claimed certificate, else after the sale (stage).
 */
export const leadConsentClaims = pgTable(
  "lead_consent_claims",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    provider: complianceRequirement("provider").notNull(),
    /** BEFORE_AUCTION or AT_SALE: when the claim was made. */
    stage: text("stage").notNull(),
    status: consentClaimStatus("status").notNull(),
    /** The certificate URL or LeadiD token that was claimed. */
    evidence: text("evidence").notNull(),
    /** The provider's own word for the result (outcome, authentic, the failure reason). */
    outcome: text("outcome"),
    /** Until when the provider keeps the certificate for us (TrustedForm retain). */
    retainedUntil: timestamp("retained_until", { withTimezone: true }),
    /** The page the person gave consent on, as the provider recorded it. */
    pageUrl: text("page_url"),
    /** Whether the certificate's phone/email match the lead (null: not reported). */
    matched: boolean("matched"),
    /** Whether the consent text names the buyer (one-to-one consent; null: not checked). */
    namesBuyer: boolean("names_buyer"),
    /** Why it failed or could not be asked (timeout, 5xx, refused URL). */
    error: text("error"),
    /** The provider's answer, capped at 8 KB, for an auditor. */
    response: text("response"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("lead_consent_claims_lead_provider_uq").on(t.leadId, t.provider)],
);

/**
 * The consent a person gave on the public DJ inquiry form: the exact text shown (and its version
 * and SHA-256, so a later change of wording cannot rewrite what was agreed to), what they ticked,
 * when, from where, on which page, with which browser.
 */
export const inquiryConsents = pgTable(
  "inquiry_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    marketLeadId: uuid("market_lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    textVersion: text("text_version").notNull(),
    textSha256: text("text_sha256").notNull(),
    text: text("text").notNull(),
    /** Each box shown and whether it was ticked: { contact: true, marketing: false }. */
    ticked: jsonb("ticked").$type<Record<string, boolean>>().notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    pageUrl: text("page_url"),
    at: timestamp("at", { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index("inquiry_consents_lead_idx").on(t.marketLeadId)],
);
