/**
 * The value lists of returns. The db package builds its pgEnums from these, the api its zod enums:
 * one source of truth.
 */

/** Why a buyer sends a lead back. OTHER needs a comment (the api enforces it). */
export const RETURN_REASONS = [
  "INVALID_PHONE",
  "INVALID_EMAIL",
  "DUPLICATE",
  "OUTSIDE_SERVICE_AREA",
  "FAKE_OR_TEST",
  "CONSUMER_DENIES",
  "OTHER",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** PENDING waits for an admin; APPROVED is credited; DENIED is final. */
export const RETURN_STATUSES = ["PENDING", "APPROVED", "DENIED"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/**
 * Which rule decided a request. VERIFIED_*: the platform checked the claim itself and approves
 * whatever the cap says. WITHIN_CAP: an unverifiable reason, approved because the buyer is under
 * its return cap. OVER_CAP: held for an admin. ADMIN: decided by a person.
 */
export const RETURN_RULES = [
  "VERIFIED_DUPLICATE",
  "VERIFIED_INVALID_PHONE",
  "WITHIN_CAP",
  "OVER_CAP",
  "ADMIN",
] as const;
export type ReturnRule = (typeof RETURN_RULES)[number];

/** The reasons the platform can check on its own data. */
export const VERIFIABLE_REASONS = ["DUPLICATE", "INVALID_PHONE"] as const satisfies readonly ReturnReason[];

export const DEFAULT_RETURN_WINDOW_DAYS = 7;
export const DEFAULT_RETURN_CAP_PERCENT = 15;
/** The return rate (shown, and used by net-of-returns ranking) counts sales of this many past days. */
export const RETURN_RATE_DAYS = 90;
