// Words for the insight pages: verdict codes, DJ outcomes and the timeline's stages.
import { labelOf, LOST_REASON_TEXT, NOT_ELIGIBLE_TEXT } from "../../labels";

import { money } from "../auction/format";
import type { RouterOutputs } from "../../trpc";

type Insight = RouterOutputs["insight"];

export { money, when } from "../auction/format";

/** Lost reasons plus the codes of buyers that were never asked. */
const REASON_TEXT = { ...LOST_REASON_TEXT, ...NOT_ELIGIBLE_TEXT, NOT_CONSIDERED: "Not part of the auction" };

export const reasonText = (r: string | null | undefined) => labelOf(REASON_TEXT, r);

export const STAGE_TEXT: Record<Insight["timeline"]["entries"][number]["stage"], string> = {
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
  compliance: "Compliance",
  other: "Event",
};

export const DJ_OUTCOME_TEXT: Record<Insight["djWhyNot"]["items"][number]["outcome"], string> = {
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

export const OUTCOME_TEXT: Record<Insight["whyNot"]["items"][number]["outcome"], string> = {
  WON: "Won",
  LOST: "Lost",
  NOT_ELIGIBLE: "Not eligible",
  NOT_ASKED: "Eligible, not asked",
};

/** A value from an event's data, for the generic view of kinds this page does not know: words, never JSON. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number") return v.toLocaleString("en-US");
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.length ? v.map(show).join(", ") : "none";
  if (typeof v === "object") {
    return Object.entries(v)
      .map(([k, x]) => `${fieldName(k)} ${fieldValue(k, x)}`)
      .join(", ");
  }
  return String(v);
}

/** "bidCents" → "bid", "latencyMs" → "latency": the unit moves into the value. */
export const fieldName = (k: string) =>
  k
    .replace(/(Cents|Ms)$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();

/** A field's value, in dollars or milliseconds when its name says it is one. */
export function fieldValue(k: string, v: unknown): string {
  if (typeof v === "number" && k.endsWith("Cents")) return money(v);
  if (typeof v === "number" && k.endsWith("Ms")) return ms(v);
  return show(v);
}

export const ms = (n: unknown) => (typeof n === "number" ? `${n.toLocaleString("en-US")} ms` : "—");
