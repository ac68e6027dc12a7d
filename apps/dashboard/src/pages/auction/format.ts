// Words and numbers for the auction pages.
import { formatCents } from "@leadflow/engine";
import { dateTime } from "../../format/time";

export const money = (cents: number | null | undefined) => (cents == null ? "—" : formatCents(cents));

export const when = (d: string | Date | null | undefined) => dateTime(d);

/** What each lost reason means, in a buyer's words. */
export const LOST_REASON_TEXT: Record<string, string> = {
  TIMEOUT: "Did not answer the ping in time",
  NO_BID: "Answered without a bid (or an unreadable one)",
  BELOW_MIN_BID: "Bid below the floor",
  COMPLIANCE_MISSING: "Lead lacked the consent evidence the buyer requires",
  OUTBID: "Another buyer bid more",
  POST_REJECTED: "Buyer rejected the full lead",
  DUPLICATE_LEAD: "Buyer already had this person",
  OUTSIDE_HOURS: "Outside the buyer's hours",
  CAP_REACHED: "Buyer's cap was reached",
  CASCADE_EXHAUSTED: "Every bidder rejected the lead",
  NOT_SELECTED: "Another contractor was chosen",
  EXCLUSIVE_TAKEN: "Sold exclusively to someone else",
  LOWER_PRIORITY: "Others had a better zip priority",
};

export const REASON_COLORS: Record<string, string> = {
  TIMEOUT: "#b42318",
  NO_BID: "#8a93a3",
  BELOW_MIN_BID: "#8a5300",
  COMPLIANCE_MISSING: "#6941c6",
  OUTBID: "#0b5cad",
  POST_REJECTED: "#c4320a",
  DUPLICATE_LEAD: "#027a48",
  OUTSIDE_HOURS: "#344054",
  CAP_REACHED: "#b54708",
  CASCADE_EXHAUSTED: "#7a271a",
  NOT_SELECTED: "#1570ef",
  EXCLUSIVE_TAKEN: "#155b75",
  LOWER_PRIORITY: "#667085",
};

export function outcomeText(t: { isWinner: boolean; lostReason: string | null; pingOutcome: string | null; kind: string }) {
  if (t.isWinner) return "Won";
  if (t.lostReason) return `Lost: ${LOST_REASON_TEXT[t.lostReason] ?? t.lostReason}`;
  return t.pingOutcome ?? t.kind;
}
