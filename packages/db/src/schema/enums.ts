// Every pgEnum lives here, built from the engine's value lists: one source of truth per enum.
import { pgEnum } from "drizzle-orm/pg-core";
import {
  ASSIGNMENT_STATUSES,
  AVAILABILITY_STATUSES,
  CALL_CLASSIFICATIONS,
  PROVIDER_CALL_STATUSES,
  RECORDING_CONSENT_MODES,
  DJ_TIERS,
  EVENT_TYPES,
  LEDGER_ENTRY_KINDS,
  MARKET_LEAD_CLOSE_REASONS,
  MARKET_LEAD_STATES,
  NOTIFY_CHANNELS,
  NOTIFY_STATUSES,
  ROUTING_PHASES,
  BUYER_TYPES,
  BILLING_MODES,
  BUYER_LEDGER_KINDS,
  COMPLIANCE_REQUIREMENTS,
  CONSENT_CLAIM_STATUSES,
  DELIVERY_METHODS,
  DELIVERY_MODES,
  LEAD_STATUSES,
  LOST_REASONS,
  ORG_KINDS,
  PING_OUTCOMES,
  PRICING_MODELS,
  RETURN_REASONS,
  RETURN_RULES,
  RETURN_STATUSES,
  TRANSACTION_KINDS,
  UNSOLD_REASONS,
  USER_ROLES,
  PAYOUT_ENTRY_KINDS,
  PAYOUT_RULE_KINDS,
  SELLER_EVENT_TYPES,
} from "@leadflow/engine";

export const userRole = pgEnum("user_role", USER_ROLES);
export const orgKind = pgEnum("org_kind", ORG_KINDS);

// Auction (packages/engine/src/auction/values.ts)
export const buyerType = pgEnum("buyer_type", BUYER_TYPES);
export const deliveryMode = pgEnum("delivery_mode", DELIVERY_MODES);
export const pricingModel = pgEnum("pricing_model", PRICING_MODELS);
export const deliveryMethod = pgEnum("delivery_method", DELIVERY_METHODS);
export const lostReason = pgEnum("lost_reason", LOST_REASONS);
export const pingOutcome = pgEnum("ping_outcome", PING_OUTCOMES);
export const leadStatus = pgEnum("lead_status", LEAD_STATUSES);
export const unsoldReason = pgEnum("unsold_reason", UNSOLD_REASONS);
export const transactionKind = pgEnum("transaction_kind", TRANSACTION_KINDS);
export const complianceRequirement = pgEnum("compliance_requirement", COMPLIANCE_REQUIREMENTS);
export const consentClaimStatus = pgEnum("consent_claim_status", CONSENT_CLAIM_STATUSES);
export const billingMode = pgEnum("billing_mode", BILLING_MODES);
export const buyerLedgerKind = pgEnum("buyer_ledger_kind", BUYER_LEDGER_KINDS);
/** A delivery to one winner by one method; "failed" is retrying, "dead" gave up (see deliveries). */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "dead"] as const;
export const deliveryStatus = pgEnum("delivery_status", DELIVERY_STATUSES);

// Marketplace (packages/engine/src/marketplace/enums.ts)
export const eventType = pgEnum("event_type", EVENT_TYPES);
export const djTier = pgEnum("dj_tier", DJ_TIERS);
export const marketLeadState = pgEnum("market_lead_state", MARKET_LEAD_STATES);
export const marketLeadCloseReason = pgEnum("market_lead_close_reason", MARKET_LEAD_CLOSE_REASONS);
export const routingPhase = pgEnum("routing_phase", ROUTING_PHASES);
export const assignmentStatus = pgEnum("assignment_status", ASSIGNMENT_STATUSES);
export const availabilityStatus = pgEnum("availability_status", AVAILABILITY_STATUSES);
export const ledgerEntryKind = pgEnum("ledger_entry_kind", LEDGER_ENTRY_KINDS);
// Call tracking (packages/engine/src/marketplace/calls.ts)
export const callClassification = pgEnum("call_classification", CALL_CLASSIFICATIONS);
export const providerCallStatus = pgEnum("provider_call_status", PROVIDER_CALL_STATUSES);
export const recordingConsentMode = pgEnum("recording_consent_mode", RECORDING_CONSENT_MODES);

// Returns (packages/engine/src/returns/values.ts)
export const returnReason = pgEnum("return_reason", RETURN_REASONS);
export const returnStatus = pgEnum("return_status", RETURN_STATUSES);
export const returnRule = pgEnum("return_rule", RETURN_RULES);

// Sellers (packages/engine/src/sellers/values.ts)
export const payoutRuleKind = pgEnum("payout_rule_kind", PAYOUT_RULE_KINDS);
export const payoutEntryKind = pgEnum("payout_entry_kind", PAYOUT_ENTRY_KINDS);
export const sellerEventType = pgEnum("seller_event_type", SELLER_EVENT_TYPES);

export const notifyChannel = pgEnum("notify_channel", NOTIFY_CHANNELS);
export const notifyStatus = pgEnum("notify_status", NOTIFY_STATUSES);
