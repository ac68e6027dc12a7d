// Words for the insight pages: verdict codes, DJ outcomes and the timeline's stages.
import { LOST_REASON_TEXT } from "../auction/format";

export { money, when } from "../auction/format";

/** Lost reasons plus the codes of buyers that were never asked. */
export const REASON_TEXT: Record<string, string> = {
  ...LOST_REASON_TEXT,
  INACTIVE: "Buyer was paused",
  WRONG_VERTICAL: "Buyer does not buy this kind of lead",
  NOT_IN_AREA: "Lead was outside the buyer's zip codes",
  NO_PRICE: "No price was configured for this zip",
  NOT_CONSIDERED: "Not part of the auction",
};

export const reasonText = (r: string | null | undefined) => (r ? (REASON_TEXT[r] ?? r.replace(/_/g, " ").toLowerCase()) : "—");

export const STAGE_TEXT: Record<string, string> = {
  intake: "Intake",
  score: "Score",
  eligibility: "Eligibility",
  ping: "Ping",
  cascade: "Cascade",
  outcome: "Outcome",
  delivery: "Delivery",
  phase: "Phase",
  response: "Response",
  call: "Call",
  unlock: "Unlock",
  return: "Return",
  other: "Event",
};

export const DJ_OUTCOME_TEXT: Record<string, string> = {
  BOOKED: "You were booked",
  ACCEPTED: "You accepted; the customer has not booked yet",
  CUSTOMER_CHOSE_ANOTHER: "You accepted; the customer booked another DJ",
  LEAD_CLOSED: "You accepted; the customer closed the inquiry",
  DECLINED: "You declined",
  WINDOW_PASSED: "Your answer window passed without an answer",
  ANOTHER_DJ_ACCEPTED_FIRST: "Another DJ accepted first",
  WITHDRAWN: "The offer was withdrawn",
  OPEN: "Waiting for your answer",
};

export const OUTCOME_TEXT: Record<string, string> = {
  WON: "Won",
  LOST: "Lost",
  NOT_ELIGIBLE: "Not eligible",
  NOT_ASKED: "Eligible, not asked",
};

/** A value from an event's data, for the generic view of kinds this page does not know. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export const ms = (n: unknown) => (typeof n === "number" ? `${n.toLocaleString("en-US")} ms` : "—");
