// Words for returns, in the buyer's and the seller's terms.
export const REASONS = ["INVALID_PHONE", "INVALID_EMAIL", "DUPLICATE", "OUTSIDE_SERVICE_AREA", "FAKE_OR_TEST", "CONSUMER_DENIES", "OTHER"] as const;
export type Reason = (typeof REASONS)[number];

export const RETURN_REASON_TEXT: Record<string, string> = {
  INVALID_PHONE: "Invalid phone number",
  INVALID_EMAIL: "Invalid email address",
  DUPLICATE: "Duplicate of a lead I already bought",
  OUTSIDE_SERVICE_AREA: "Outside my service area",
  FAKE_OR_TEST: "Fake or test lead",
  CONSUMER_DENIES: "Consumer denies making the request",
  OTHER: "Other (say what)",
};

export const RETURN_RULE_TEXT: Record<string, string> = {
  VERIFIED_DUPLICATE: "approved: the platform found the earlier purchase",
  VERIFIED_INVALID_PHONE: "approved: the phone fails validation",
  WITHIN_CAP: "approved: within the return allowance",
  OVER_CAP: "waiting for an admin: past the return allowance",
  ADMIN: "decided by an admin",
};

export const STATUS_TEXT: Record<string, string> = { PENDING: "Waiting for an admin", APPROVED: "Approved", DENIED: "Denied" };

export const percent = (bp: number | null | undefined) => (bp == null ? "—" : `${(bp / 100).toFixed(1)}%`);
