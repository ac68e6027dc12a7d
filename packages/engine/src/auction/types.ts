/**
 * The data the auction decides on. Plain shapes the db rows map onto; money in integer cents,
 * instants as Date, zones as IANA names.
 */
import type {
  BillingMode,
  BuyerType,
  ComplianceRequirement,
  ConsentClaimStatus,
  DeliveryMethod,
  DeliveryMode,
  EmailCheck,
  PhoneCheck,
  PricingModel,
} from "./values";
import type { ResponseMapping } from "./response";

export interface LeadConsent {
  trustedFormCertUrl?: string | null;
  jornayaLeadId?: string | null;
  /** What the provider answered when LeadFlow claimed the certificate (api compliance/consent); absent: not claimed. */
  trustedFormClaim?: ConsentClaimVerdict | null;
  /** The same for the Jornaya LeadiD token (the provider's authenticate call). */
  jornayaClaim?: ConsentClaimVerdict | null;
}

/**
 * The part of a claim the decision needs. CLAIMED: the provider retained or authenticated it;
 * FAILED: the provider said no (unknown, expired, not authentic); ERROR: it could not be asked
 * (timeout, 5xx). matched: whether the certificate's recorded phone/email match the lead (null: not
 * reported by the provider, as for Jornaya's authenticate).
 */
export interface ConsentClaimVerdict {
  status: ConsentClaimStatus;
  matched: boolean | null;
}

/** The checks on the lead's phone and email, made once at intake (api compliance/validation.ts). */
export interface LeadValidation {
  phone: PhoneCheck;
  /** libphonenumber-js's type when its metadata tells (MOBILE, FIXED_LINE, VOIP…), else null. */
  phoneLineType?: string | null;
  email: EmailCheck;
}

/** What the engine needs of a lead; contact details never enter the decision. */
export interface AuctionLead {
  id: string;
  vertical: string;
  zip: string;
  state?: string | null;
  receivedAt: Date;
  consent: LeadConsent;
  /** Absent or null: not validated (leads from before validation); no buyer filter applies. */
  validation?: LeadValidation | null;
  /**
   * What the compliance screens found (suppression lists, do-not-call, litigators), read before
   * the auction by the service; absent: nothing found. Only the verdicts enter the decision.
   */
  screening?: LeadScreening;
}

/** Why a person may not be offered: to every buyer of the vertical, or to some buyers only. */
export interface LeadScreening {
  /** Set when no buyer may have the lead (global suppression, DNC, litigator): the detail shown. */
  everyone: string | null;
  /** buyer id → detail, for buyers whose own suppression list names the person. */
  buyers: Readonly<Record<string, string>>;
}

/**
 * A zip a buyer serves. priority: 1 is the best; lower numbers win. maxBidCents overrides the
 * contractor's default max bid in this zip. zip "*" serves every zip (an exact zip entry wins).
 */
export interface ServiceZip {
  zip: string;
  priority: number;
  maxBidCents?: number | null;
}

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Opening intervals per local weekday, "HH:MM" wall-clock times, start inclusive, end exclusive,
 * "24:00" allowed as an end. An interval whose end is not after its start runs past midnight into
 * the next day (["22:00","02:00"]). A missing day is closed; a missing table means always open.
 */
export type HoursOfOperation = Partial<Record<Weekday, readonly (readonly [string, string])[]>>;

/** null or undefined: no cap. 0 is a cap: buys nothing. */
export interface Caps {
  daily?: number | null;
  weekly?: number | null;
  monthly?: number | null;
}

interface BuyerBase {
  id: string;
  name?: string;
  type: BuyerType;
  active: boolean;
  verticals: readonly string[];
  serviceZips: readonly ServiceZip[];
  timeZone: string;
  hours?: HoursOfOperation | null;
  caps?: Caps;
  /** 0 or absent: no duplicate check. */
  duplicateLookbackDays?: number;
  compliance?: readonly ComplianceRequirement[];
  /**
   * Presence is not enough: each required certificate must have been claimed, and match the lead
   * where the provider reports a match (COMPLIANCE_MISSING otherwise).
   */
  requireClaimedConsent?: boolean;
  /** Refuse a lead whose phone number is not a valid one (VALIDATION_FAILED). */
  refuseInvalidPhone?: boolean;
  /** Refuse a lead whose email is malformed or at a disposable domain (VALIDATION_FAILED). */
  refuseDisposableEmail?: boolean;
  /** How the buyer pays and its money budgets; absent: invoiced, no budget. */
  billing?: Billing;
}

/** null or undefined: no limit. Budgets are in the buyer's local day and month, in cents. */
export interface Billing {
  mode: BillingMode;
  /** CREDIT_LIMIT: how far below zero the balance may go. */
  creditLimitCents?: number | null;
  budgetDailyCents?: number | null;
  budgetMonthlyCents?: number | null;
}

export interface NetworkBuyer extends BuyerBase {
  type: "NETWORK";
  minBidCents: number;
  pingTimeoutMs?: number;
  mapping?: Partial<ResponseMapping>;
  /** Approved returns per 10,000 leads bought lately (null: not known); see RankRules.netOfReturns. */
  returnRateBp?: number | null;
}

export interface ContractorBuyer extends BuyerBase {
  type: "CONTRACTOR";
  deliveryMode: DeliveryMode;
  maxSharedLeads: number;
  pricingModel: PricingModel;
  fixedLeadPriceCents?: number | null;
  /** AUCTION and HYBRID (exclusive) price; a ServiceZip.maxBidCents overrides it. */
  maxBidCents?: number | null;
  /** HYBRID only: the reduced price paid when the lead is shared. */
  sharedPriceCents?: number | null;
  deliveryMethods?: readonly DeliveryMethod[];
}

export type Buyer = NetworkBuyer | ContractorBuyer;

/**
 * Facts only the caller can know, read inside the sale transaction. Sales are counted in the
 * buyer's own day/week/month (see localPeriods); the duplicate flag covers the buyer's look-back.
 */
export interface BuyerCounters {
  salesToday: number;
  salesThisWeek: number;
  salesThisMonth: number;
  duplicateWithinLookback: boolean;
  /**
   * The buyer's money, read with the counts (for a buyer with a billing mode other than INVOICED
   * or a money budget). Absent: not known, and the money rules are left to the sale's own check
   * (claim_sale always reads them).
   */
  money?: BuyerMoney;
}

/** Balance (ledger sum; negative: owed) and what the buyer spent in its local day and month. */
export interface BuyerMoney {
  balanceCents: number;
  spentTodayCents: number;
  spentThisMonthCents: number;
}

export const NO_SALES: BuyerCounters = {
  salesToday: 0,
  salesThisWeek: 0,
  salesThisMonth: 0,
  duplicateWithinLookback: false,
};
