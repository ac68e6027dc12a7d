/**
 * The terms a network buyer edits itself (issue #16 §1); the admin may lock any of them, and a
 * locked one is read-only for the buyer (enforced by the api's buyers/self-service.ts).
 */
export const SELF_SERVICE_FIELDS = [
  "pingUrl",
  "postUrl",
  "pingTimeoutMs",
  "minBidCents",
  "capDaily",
  "capWeekly",
  "capMonthly",
  "timeZone",
  "hours",
  "serviceZips",
  "compliance",
  "responseMapping",
  "requestTemplate",
] as const;
export type SelfServiceField = (typeof SELF_SERVICE_FIELDS)[number];
