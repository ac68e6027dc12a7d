/**
 * Marketplace value lists. Each becomes a pgEnum in @leadflow/db and a z.enum in the API, so
 * this file is the one place a value is added or renamed.
 */

/** Kinds of event a customer books a DJ for. `other` catches everything the form does not list. */
export const EVENT_TYPES = [
  "wedding",
  "corporate",
  "private_party",
  "birthday",
  "school_dance",
  "anniversary",
  "other",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A DJ's pricing tier; premium DJs rank first among otherwise equal DJs. */
export const DJ_TIERS = ["premium", "standard", "budget"] as const;
export type DjTier = (typeof DJ_TIERS)[number];

/**
 * A marketplace lead's lifecycle (transitions in lead-lifecycle.ts). `converted` and `closed`
 * are the only terminal states, so every lead ends in exactly one of them. The seed calls
 * `accepted` "responded"; we name it for what happened, because a decline is a response too.
 */
export const MARKET_LEAD_STATES = [
  "pending",
  "scoring",
  "routing",
  "exclusive",
  "tier_expansion",
  "broadcast",
  "concierge",
  "accepted",
  "converted",
  "closed",
] as const;
export type MarketLeadState = (typeof MARKET_LEAD_STATES)[number];

export const TERMINAL_MARKET_LEAD_STATES = ["converted", "closed"] as const satisfies readonly MarketLeadState[];

/** Why a lead was closed without a booking; stored beside the `closed` state. */
export const MARKET_LEAD_CLOSE_REASONS = [
  "customer_cancelled",
  "booked_elsewhere",
  "event_passed",
  "no_dj_found",
  "invalid",
  "duplicate",
] as const;
export type MarketLeadCloseReason = (typeof MARKET_LEAD_CLOSE_REASONS)[number];

/** Routing phases, in order. While a lead is routed its state equals its phase. */
export const ROUTING_PHASES = ["exclusive", "tier_expansion", "broadcast", "concierge"] as const;
export type RoutingPhase = (typeof ROUTING_PHASES)[number];
/** The phases that offer the lead to DJs with a timed window (concierge is manual). */
export const TIMED_ROUTING_PHASES = ["exclusive", "tier_expansion", "broadcast"] as const;
export type TimedRoutingPhase = (typeof TIMED_ROUTING_PHASES)[number];

/** Why a lead went to the concierge queue. */
export const CONCIERGE_REASONS = ["no_eligible_djs", "nobody_accepted"] as const;
export type ConciergeReason = (typeof CONCIERGE_REASONS)[number];

/**
 * One offer of a lead to one DJ. `ignored` = the window passed unanswered (counts against the
 * DJ); `withdrawn` = the lead closed while the offer was open (does not count against the DJ).
 */
export const ASSIGNMENT_STATUSES = ["offered", "accepted", "declined", "ignored", "withdrawn"] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const RESPONSE_ACTIONS = ["accepted", "declined", "ignored"] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

export const AVAILABILITY_STATUSES = ["available", "tentative", "booked", "unavailable"] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];
/** Statuses on which a DJ may still be offered a lead. */
export const OFFERABLE_AVAILABILITY_STATUSES = [
  "available",
  "tentative",
] as const satisfies readonly AvailabilityStatus[];

/** DJ credit ledger movements; see ledger.ts for their signs. */
export const LEDGER_ENTRY_KINDS = ["grant", "purchase", "unlock", "refund"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** How a tracked call counts (calls.ts). */
export const CALL_CLASSIFICATIONS = ["ignored", "not_billable", "billable"] as const;
export type CallClassification = (typeof CALL_CLASSIFICATIONS)[number];

/** The voice provider's CallStatus values (Twilio's spelling), stored as received. */
export const PROVIDER_CALL_STATUSES = [
  "queued",
  "initiated",
  "ringing",
  "in-progress",
  "completed",
  "busy",
  "failed",
  "no-answer",
  "canceled",
] as const;
export type ProviderCallStatus = (typeof PROVIDER_CALL_STATUSES)[number];

export const RECORDING_CONSENT_MODES = ["one_party", "all_party"] as const;
export type RecordingConsentMode = (typeof RECORDING_CONSENT_MODES)[number];

/** Market tension bands; `balanced` is the seed's healthy 1.0-2.0 leads per DJ. */
export const TENSION_BANDS = ["oversupplied", "balanced", "tight"] as const;
export type TensionBand = (typeof TENSION_BANDS)[number];

/** Which eligibility rule a DJ failed (eligibility.ts). */
export const DJ_ELIGIBILITY_RULES = [
  "availability",
  "availability_lock",
  "date_held",
  "price_overlap",
  "reliability",
  "active",
  "suspended",
  "cooldown",
] as const;
export type DJEligibilityRule = (typeof DJ_ELIGIBILITY_RULES)[number];

/** Where a DJ is told of an offer. */
export const NOTIFY_CHANNELS = ["email", "sms", "push"] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/**
 * One message on one channel: queued → (held during quiet hours) → sent; a failed attempt is
 * retried until the schedule is spent (dead); withdrawn: the offer closed before it went out.
 */
export const NOTIFY_STATUSES = ["queued", "held", "sent", "failed", "dead", "withdrawn"] as const;
export type NotifyStatus = (typeof NOTIFY_STATUSES)[number];

/** What became of an offer, as the DJ's inbox words it (offerOutcome). */
export const OFFER_OUTCOMES = ["open", "accepted", "declined", "taken", "window_ended", "closed"] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];
