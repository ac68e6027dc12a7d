// Every enum a person reads, in words: one map per enum, typed by the engine's own value list, so
// a value added to the engine fails the dashboard's typecheck here instead of showing its code on
// a page. Pages import from here; none keeps a map of its own.
import type {
  AvailabilityStatus,
  BillingMode,
  BuyerLedgerKind,
  BuyerType,
  CallClassification,
  ComplianceRequirement,
  ConsentClaimStatus,
  DeliveryMethod,
  EmailCheck,
  DjTier,
  EventType,
  LeadStatus,
  LedgerEntryKind,
  LostReason,
  OrgKind,
  NotEligibleCode,
  NotifyChannel,
  OfferOutcome,
  PhoneCheck,
  PingOutcome,
  RecordingDecision,
  ReturnReason,
  ReturnRule,
  ReturnStatus,
  SellerEventType,
  TransactionKind,
  UnsoldReason,
  UserRole,
  SelfServiceField,
} from "@leadflow/engine";
import { RETURN_REASONS } from "@leadflow/engine";
import type { RouterInputs, RouterOutputs } from "./trpc";

/**
 * A label for a value the API types as a plain string (a JSON column, a computed code): the map's
 * word when it has one, the value itself, made readable, when it is not one of the enum's.
 */
export function labelOf<K extends string>(
  map: Record<K, string>,
  value: string | null | undefined,
  otherwise?: string,
): string {
  if (value == null) return "—";
  if (Object.hasOwn(map, value)) return map[value as K];
  return otherwise ?? value.replace(/_/g, " ").toLowerCase();
}

// ---- Platform ----

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  platform: "Platform",
  contractor: "Contractor",
  network: "Network buyer",
  dj: "DJ",
  seller: "Lead seller",
};

/** The admin overview's cards, in the order they are shown. */
export const OVERVIEW_LABELS = {
  leads: "Leads",
  soldBp: "Sold",
  revenueCents: "Revenue",
  profitCents: "Profit",
  medianLatencyMs: "Median ping latency",
  timeouts: "Ping timeouts",
  openOffers: "Open DJ offers",
  failingDeliveries: "Failing deliveries",
} as const;

// ---- Auction ----

/** What each lost reason means, in a buyer's words. */
export const LOST_REASON_TEXT: Record<LostReason, string> = {
  TIMEOUT: "Did not answer the ping in time",
  NO_BID: "Answered without a bid (or an unreadable one)",
  BELOW_MIN_BID: "Bid below the floor",
  COMPLIANCE_MISSING: "Lead lacked the consent evidence the buyer requires",
  VALIDATION_FAILED: "Buyer refuses leads with an invalid phone or a disposable email",
  SUPPRESSED: "Person is on a suppression, do-not-call or litigator list",
  OUTBID: "Another buyer bid more",
  POST_REJECTED: "Buyer rejected the full lead",
  DUPLICATE_LEAD: "Buyer already had this person",
  OUTSIDE_HOURS: "Outside the buyer's hours",
  CAP_REACHED: "Buyer's cap or budget was reached",
  INSUFFICIENT_FUNDS: "Buyer's balance or credit limit did not cover the price",
  CASCADE_EXHAUSTED: "Every bidder rejected the lead",
  NOT_SELECTED: "Another contractor was chosen",
  EXCLUSIVE_TAKEN: "Sold exclusively to someone else",
  LOWER_PRIORITY: "Others had a better zip priority",
};

/** One colour per lost reason, the same on every chart. */
export const LOST_REASON_COLORS: Record<LostReason, string> = {
  TIMEOUT: "#b42318",
  NO_BID: "#8a93a3",
  BELOW_MIN_BID: "#8a5300",
  COMPLIANCE_MISSING: "#6941c6",
  VALIDATION_FAILED: "#a15c07",
  SUPPRESSED: "#9e165f",
  OUTBID: "#0b5cad",
  POST_REJECTED: "#c4320a",
  DUPLICATE_LEAD: "#027a48",
  OUTSIDE_HOURS: "#344054",
  CAP_REACHED: "#b54708",
  INSUFFICIENT_FUNDS: "#9e165f",
  CASCADE_EXHAUSTED: "#7a271a",
  NOT_SELECTED: "#1570ef",
  EXCLUSIVE_TAKEN: "#155b75",
  LOWER_PRIORITY: "#667085",
};

// ---- Compliance (docs/compliance.md) ----

export const COMPLIANCE_REQUIREMENT_TEXT: Record<ComplianceRequirement, string> = {
  TRUSTED_FORM: "TrustedForm certificate",
  JORNAYA: "Jornaya LeadiD",
};

/** What the consent provider answered when the certificate was claimed. */
export const CONSENT_CLAIM_STATUS_TEXT: Record<ConsentClaimStatus, string> = {
  CLAIMED: "Claimed",
  FAILED: "Refused by the provider",
  ERROR: "Provider could not be reached",
};

/** A litigator check's result (the lead timeline's litigator_check event). */
export const LITIGATOR_STATUS_TEXT: Record<"LISTED" | "CLEAR" | "ERROR" | "NOT_CHECKED", string> = {
  LISTED: "on the litigator list",
  CLEAR: "not on the litigator list",
  ERROR: "could not be completed",
  NOT_CHECKED: "not checked",
};

export const CLAIM_STAGE_TEXT: Record<"BEFORE_AUCTION" | "AT_SALE", string> = {
  BEFORE_AUCTION: "before the auction",
  AT_SALE: "after the sale",
};

export const PHONE_CHECK_TEXT: Record<PhoneCheck, string> = {
  VALID: "Valid number",
  INVALID: "Not a valid number",
  MISSING: "No phone given",
};

export const EMAIL_CHECK_TEXT: Record<EmailCheck, string> = {
  VALID: "Valid address",
  INVALID: "Not a valid address",
  DISPOSABLE: "Disposable (throwaway) domain",
  MISSING: "No email given",
};

/** libphonenumber-js's line types, in words (a type it adds later shows as its code via labelOf). */
export const PHONE_LINE_TYPE_TEXT: Record<string, string> = {
  MOBILE: "mobile",
  FIXED_LINE: "landline",
  FIXED_LINE_OR_MOBILE: "landline or mobile",
  VOIP: "VoIP",
  TOLL_FREE: "toll-free",
  PREMIUM_RATE: "premium rate",
  SHARED_COST: "shared cost",
  PERSONAL_NUMBER: "personal number",
  PAGER: "pager",
  UAN: "company number",
  VOICEMAIL: "voicemail",
};

/** Why a buyer was not even asked. */
export const NOT_ELIGIBLE_TEXT: Record<NotEligibleCode, string> = {
  INACTIVE: "Buyer was paused",
  WRONG_VERTICAL: "Buyer does not buy this kind of lead",
  NOT_IN_AREA: "Lead was outside the buyer's zip codes",
  NO_PRICE: "No price was configured for this zip",
};

export const LEAD_STATUS_TEXT: Record<LeadStatus, string> = {
  RECEIVED: "Received",
  PROCESSING: "In the auction",
  SOLD: "Sold",
  UNSOLD: "Unsold",
  REJECTED: "Rejected at intake",
};

export const UNSOLD_REASON_TEXT: Record<UnsoldReason, string> = {
  NO_ELIGIBLE_BUYERS: "no buyer could take it",
  NO_VALID_BIDS: "no valid bid",
  CASCADE_EXHAUSTED: "every bidder turned it down",
};

export const PING_OUTCOME_TEXT: Record<PingOutcome, string> = {
  BID: "Bid",
  NO_BID: "No bid",
  TIMEOUT: "Timed out",
  ERROR: "Error",
};

export const TRANSACTION_KIND_TEXT: Record<TransactionKind, string> = {
  PING: "Pinged",
  POST: "Pinged and posted",
  DIRECT: "Direct",
};

export const DELIVERY_METHOD_TEXT: Record<DeliveryMethod, string> = {
  EMAIL: "email",
  WEBHOOK: "webhook",
  DASHBOARD: "dashboard",
};

/** A delivery's state as the API reports it (the database's delivery_status enum). */
type DeliveryStatus = Extract<RouterOutputs["leads"]["get"], { deliveries: unknown }>["deliveries"][number]["status"];
export const DELIVERY_STATUS_TEXT: Record<DeliveryStatus, string> = {
  pending: "pending",
  delivered: "delivered",
  failed: "failed",
  dead: "given up",
};

export const BUYER_TYPE_TEXT: Record<BuyerType, string> = {
  NETWORK: "network",
  CONTRACTOR: "contractor",
};

// ---- Returns ----

/** The reasons in the order the buyer's form offers them. */
export { RETURN_REASONS };

export const RETURN_REASON_TEXT: Record<ReturnReason, string> = {
  INVALID_PHONE: "Invalid phone number",
  INVALID_EMAIL: "Invalid email address",
  DUPLICATE: "Duplicate of a lead I already bought",
  OUTSIDE_SERVICE_AREA: "Outside my service area",
  FAKE_OR_TEST: "Fake or test lead",
  CONSUMER_DENIES: "Consumer denies making the request",
  OTHER: "Other (say what)",
};

export const RETURN_RULE_TEXT: Record<ReturnRule, string> = {
  VERIFIED_DUPLICATE: "approved: the platform found the earlier purchase",
  VERIFIED_INVALID_PHONE: "approved: the phone fails validation",
  WITHIN_CAP: "approved: within the return allowance",
  OVER_CAP: "waiting for an admin: past the return allowance",
  ADMIN: "decided by an admin",
};

export const RETURN_STATUS_TEXT: Record<ReturnStatus, string> = {
  PENDING: "Waiting for an admin",
  APPROVED: "Approved",
  DENIED: "Denied",
};

// ---- DJ marketplace ----

export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  wedding: "Wedding",
  corporate: "Corporate event",
  private_party: "Private party",
  birthday: "Birthday",
  school_dance: "School dance",
  anniversary: "Anniversary",
  other: "Something else",
};

export const DJ_TIER_LABELS: Record<DjTier, string> = { premium: "Premium", standard: "Standard", budget: "Budget" };

export const AVAILABILITY_LABELS: Record<AvailabilityStatus, string> = {
  available: "Available",
  tentative: "Tentative (on hold)",
  booked: "Booked",
  unavailable: "Unavailable",
};

export const LEDGER_KIND_LABELS: Record<LedgerEntryKind, string> = {
  grant: "Granted",
  purchase: "Bought",
  unlock: "Contact unlocked",
  refund: "Refund",
};

// ---- Calls ----

export const CALL_CLASS_LABELS: Record<CallClassification, string> = {
  billable: "Billable lead",
  not_billable: "Counted, not billable",
  ignored: "Ignored (too short)",
};

export const RECORDING_LABELS: Record<RecordingDecision["reason"], string> = {
  recording_disabled: "Not recorded (recording off for this number)",
  consent_not_announced: "Not recorded (consent not announced)",
  one_party_states: "Recorded (one-party consent states)",
  announced: "Recorded after a consent announcement",
};

// ---- Seller status webhooks ----

export const SELLER_EVENT_TYPE_TEXT: Record<SellerEventType, string> = {
  "lead.sold": "Lead sold",
  "lead.unsold": "Lead unsold",
  "lead.returned": "Lead returned",
  "webhook.test": "Test event",
};

/** A webhook delivery's status (deliveries and seller_webhook_deliveries share it). */
export const WEBHOOK_DELIVERY_STATUS_TEXT: Record<"pending" | "delivered" | "failed" | "dead", string> = {
  pending: "Waiting to send",
  delivered: "Delivered",
  failed: "Failed, will retry",
  dead: "Gave up",
};

/** An offer as the DJ's inbox words it; the withdrawn ones say why they closed. */
export const OFFER_OUTCOME_LABELS: Record<OfferOutcome, string> = {
  open: "Open: yours to answer",
  accepted: "You accepted",
  declined: "You declined",
  taken: "Withdrawn: another DJ took this lead",
  window_ended: "Withdrawn: the time to answer ended",
  closed: "Withdrawn: the couple closed this request",
};

export const NOTIFY_CHANNEL_LABELS: Record<NotifyChannel, string> = {
  email: "Email",
  sms: "Text message (SMS)",
  push: "Push notification on this phone",
};

// ---- Audit log ----

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: "LeadFlow admin",
  contractor: "Contractor",
  network: "Network buyer",
  dj: "DJ",
  seller: "Lead seller",
};

export type AuditEntity = NonNullable<Exclude<RouterInputs["audit"]["list"], void | undefined>["entityType"]>;
export const AUDIT_ENTITY_TEXT: Record<AuditEntity, string> = {
  buyer: "Buyer",
  vertical: "Vertical",
  source: "Lead source",
  routing: "Routing settings",
  api_key: "API key",
  seller_webhook: "Seller webhook",
  dj: "DJ",
  dj_notify: "DJ notifications",
  virtual_number: "Tracking number",
  user: "User",
};

/** The procedures the audit log names, in words; others are shown made readable. */
export const AUDIT_ACTION_TEXT: Record<string, string> = {
  "buyers.create": "Buyer created",
  "buyers.update": "Buyer changed",
  "buyers.setActive": "Buyer turned on or off",
  "buyers.updateSettings": "Delivery settings changed",
  "buyers.rotateWebhookSecret": "Webhook secret rotated",
  "buyers.setRequestTemplate": "Request template changed",
  "buyers.import": "Buyers imported",
  "buyers.saveVertical": "Vertical saved",
  "buyers.updateMyTerms": "Terms changed by the buyer",
  "buyers.setLockedFields": "Locked fields changed",
  "buyers.sendTest": "Test request sent",
  "apiKeys.create": "API key created",
  "apiKeys.revoke": "API key revoked",
  "users.create": "User created",
  "users.update": "User changed",
  "users.deactivate": "User deactivated",
  "users.reactivate": "User reactivated",
  "users.sendPasswordReset": "Password link sent",
  "users.resetPassword": "Password set from a link",
  "auth.changePassword": "Password changed",
  "sources.setSettings": "Source terms changed",
  "sources.setMyTimeZone": "Time zone changed by the seller",
  "sources.setRule": "Payout rule saved",
  "sources.removeRule": "Payout rule removed",
  "returns.setVerticalRanking": "Return-aware ranking switched",
  "returns.setBuyerTerms": "Return terms changed",
  "marketAdmin.setRoutingSettings": "Routing settings changed",
  "marketAdmin.setCityWindows": "City routing windows changed",
  "marketAdmin.setDjStatus": "DJ status changed",
  "marketDj.setPriceRange": "DJ price range changed",
  "djNotify.saveSettings": "Notification settings changed",
  "calls.assignNumber": "Tracking number assigned",
  "calls.unassignNumber": "Tracking number released",
  "calls.setRecording": "Call recording switched",
  "sellerWebhooks.save": "Webhook URL saved",
  "sellerWebhooks.rotateSecret": "Webhook secret rotated",
  "sellerWebhooks.remove": "Webhook removed",
  "billing.setSettings": "Billing settings changed",
  "compliance.setVerticalChecks": "Compliance screens changed",
  "compliance.setVerticalRetention": "Retention period changed",
};

// ---- Network self-service ----

export const SELF_SERVICE_FIELD_TEXT: Record<SelfServiceField, string> = {
  pingUrl: "Ping URL",
  postUrl: "Post URL",
  pingTimeoutMs: "Ping timeout",
  minBidCents: "Minimum bid",
  capDaily: "Daily cap",
  capWeekly: "Weekly cap",
  capMonthly: "Monthly cap",
  timeZone: "Time zone",
  hours: "Hours",
  serviceZips: "Zip codes",
  compliance: "Compliance needs",
  responseMapping: "Response mapping",
  requestTemplate: "Request template",
};

export const COMPLIANCE_TEXT: Record<ComplianceRequirement, string> = {
  TRUSTED_FORM: "TrustedForm certificate",
  JORNAYA: "Jornaya LeadiD",
};

/** What LeadFlow understood from a test request's answer. */
export const TEST_OUTCOME_TEXT: Record<"BID" | "NO_BID" | "ACCEPTED" | "REJECTED" | "TIMEOUT" | "ERROR", string> = {
  BID: "A bid",
  NO_BID: "No bid",
  ACCEPTED: "Accepted",
  REJECTED: "Not accepted",
  TIMEOUT: "No answer in time",
  ERROR: "Not understood",
};

/** How a buyer pays (docs/billing.md). */
export const BILLING_MODE_TEXT: Record<BillingMode, string> = {
  PREPAID: "Prepaid balance",
  CREDIT_LIMIT: "Credit limit",
  INVOICED: "Invoiced, no limit",
};

/** A buyer's ledger entry. */
export const LEDGER_KIND_TEXT: Record<BuyerLedgerKind, string> = {
  TOP_UP: "Top-up",
  CHARGE: "Lead bought",
  RELEASE: "Sale undone",
  RETURN_CREDIT: "Return credit",
};
